package io.berth.control.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.RestoreSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.Tag;
import software.amazon.awssdk.services.secretsmanager.model.TagResourceRequest;
import software.amazon.awssdk.services.secretsmanager.model.UntagResourceRequest;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretResponse;

class SecretsManagerTest {

    private static final String ARN_PREFIX = "arn:aws:secretsmanager:us-east-1:123456789012:secret:";

    private final SecretsWorld world = new SecretsWorld();

    @AfterEach
    void close() {
        world.close();
    }

    static void fails(ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void aSecretGetsAnArnWithSixCharactersAndItsValueIsCurrent() {
        CreateSecretResponse created = world.create("prod/db", "{\"password\":\"pw-81kq\"}");

        GetSecretValueResponse got = world.get("prod/db");

        assertThat(created.arn()).matches(java.util.regex.Pattern.quote(ARN_PREFIX + "prod/db-") + "[a-zA-Z0-9]{6}");
        assertThat(created.versionId()).isNotNull();
        assertThat(got.secretString()).isEqualTo("{\"password\":\"pw-81kq\"}");
        assertThat(got.versionStages()).containsExactly("AWSCURRENT");
        assertThat(got.versionId()).isEqualTo(created.versionId());
        assertThat(got.arn()).isEqualTo(created.arn());
    }

    @Test
    void aSecretIsFoundByNameFullArnOrPartialArn() {
        CreateSecretResponse created = world.create("app/key", "v");

        assertThat(world.get(created.arn()).name()).isEqualTo("app/key");
        assertThat(world.get(ARN_PREFIX + "app/key").name()).isEqualTo("app/key");
        fails(() -> world.get(ARN_PREFIX + "app/key-zzzzzz"), "ResourceNotFoundException");
        fails(() -> world.get("arn:aws:secretsmanager:us-east-1:999999999999:secret:app/key"),
                "ResourceNotFoundException");
        fails(() -> world.get("missing"), "ResourceNotFoundException");
    }

    @Test
    void aBinarySecretComesBackAsBytes() {
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        world.call("CreateSecret", CreateSecretRequest.builder().name("bin").secretBinary(SdkBytes.fromByteArray(bytes))
                .build());

        GetSecretValueResponse got = world.get("bin");

        assertThat(got.secretBinary().asByteArray()).isEqualTo(bytes);
        assertThat(got.secretString()).isNull();
    }

    @Test
    void creationRefusesBadNamesBothValuesOversizeValuesAndTakenNames() {
        fails(() -> world.create("bad name", "v"), "InvalidParameterException");
        fails(() -> world.create("x".repeat(513), "v"), "ValidationException");
        fails(() -> world.call("CreateSecret", CreateSecretRequest.builder().name("both").secretString("s")
                .secretBinary(SdkBytes.fromUtf8String("b")).build()), "InvalidParameterException");
        fails(() -> world.create("big", "x".repeat(65_537)), "ValidationException");
        assertThatThrownBy(() -> world.create("big", "x".repeat(65_537))).hasMessageNotContaining("xxxx");
        world.create("taken", "v");
        fails(() -> world.create("taken", "w"), "ResourceExistsException");
    }

    @Test
    void aSecretWithoutAValueHasNoCurrentVersion() {
        world.call("CreateSecret", CreateSecretRequest.builder().name("empty").build());

        assertThatThrownBy(() -> world.get("empty")).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("ResourceNotFoundException");
            assertThat(e.getMessage()).isEqualTo(
                    "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
        });
    }

    @Test
    void valuesAreStoredOnlyEncrypted() {
        world.create("stored", "plain-text-Wq7");
        world.call("CreateSecret", CreateSecretRequest.builder().name("stored-bin")
                .secretBinary(SdkBytes.fromUtf8String("binary-text-Wq7")).build());

        assertThat(world.storedJson()).hasSize(4).allSatisfy(json -> assertThat(json).doesNotContain("Wq7"));
    }

    @Test
    void aDeletedSecretRefusesItsValueUntilRestored() {
        world.create("doomed", "v");

        DeleteSecretResponse deleted = world.call("DeleteSecret", DeleteSecretRequest.builder().secretId("doomed")
                .recoveryWindowInDays(7L).build());

        assertThat(deleted.deletionDate()).isEqualTo(world.clock.instant().plus(Duration.ofDays(7)));
        assertThatThrownBy(() -> world.get("doomed")).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("InvalidRequestException");
            assertThat(e.getMessage()).contains("marked for deletion");
        });
        DescribeSecretResponse described = world.call("DescribeSecret", DescribeSecretRequest.builder()
                .secretId("doomed").build());
        assertThat(described.deletedDate()).isEqualTo(world.clock.instant());
        fails(() -> world.create("doomed", "again"), "InvalidRequestException");
        fails(() -> world.call("DeleteSecret", DeleteSecretRequest.builder().secretId("doomed").build()),
                "InvalidRequestException");

        world.call("RestoreSecret", RestoreSecretRequest.builder().secretId("doomed").build());
        assertThat(world.get("doomed").secretString()).isEqualTo("v");
    }

    @Test
    void aDeletedSecretIsPurgedAfterItsDeletionDate() {
        world.create("short-lived", "v");
        world.call("DeleteSecret", DeleteSecretRequest.builder().secretId("short-lived").recoveryWindowInDays(7L).build());

        world.clock.advance(Duration.ofDays(7).minusSeconds(1));
        assertThat(world.secrets.purgeDue()).isZero();
        world.clock.advance(Duration.ofSeconds(1));

        fails(() -> world.call("DescribeSecret", DescribeSecretRequest.builder().secretId("short-lived").build()),
                "ResourceNotFoundException");
        assertThat(world.secrets.purgeDue()).isEqualTo(1);
        assertThat(world.storedJson()).isEmpty();
        assertThat(world.create("short-lived", "new").arn()).startsWith(ARN_PREFIX + "short-lived-");
    }

    @Test
    void deletionTakesARecoveryWindowOfSevenToThirtyDaysOrForce() {
        world.create("d", "v");

        fails(() -> world.call("DeleteSecret", DeleteSecretRequest.builder().secretId("d").recoveryWindowInDays(6L)
                .build()), "InvalidParameterException");
        fails(() -> world.call("DeleteSecret", DeleteSecretRequest.builder().secretId("d").recoveryWindowInDays(31L)
                .build()), "InvalidParameterException");
        fails(() -> world.call("DeleteSecret", DeleteSecretRequest.builder().secretId("d").recoveryWindowInDays(7L)
                .forceDeleteWithoutRecovery(true).build()), "InvalidParameterException");

        DeleteSecretResponse forced = world.call("DeleteSecret", DeleteSecretRequest.builder().secretId("d")
                .forceDeleteWithoutRecovery(true).build());
        assertThat(forced.deletionDate()).isEqualTo(world.clock.instant());
        assertThat(world.storedJson()).isEmpty();
        fails(() -> world.get("d"), "ResourceNotFoundException");
    }

    @Test
    void updateChangesDetailsAndWithAValueMakesANewCurrentVersion() {
        world.create("upd", "one");

        UpdateSecretResponse described = world.call("UpdateSecret", UpdateSecretRequest.builder().secretId("upd")
                .description("the db").build());
        UpdateSecretResponse revalued = world.call("UpdateSecret", UpdateSecretRequest.builder().secretId("upd")
                .secretString("two").build());

        assertThat(described.versionId()).isNull();
        assertThat(revalued.versionId()).isNotNull();
        assertThat(world.get("upd").secretString()).isEqualTo("two");
        assertThat(world.<DescribeSecretResponse>call("DescribeSecret", DescribeSecretRequest.builder().secretId("upd")
                .build()).description()).isEqualTo("the db");
    }

    @Test
    void tagsAreAddedAndRemoved() {
        world.create("tagged", "v");

        world.call("TagResource", TagResourceRequest.builder().secretId("tagged")
                .tags(Tag.builder().key("team").value("a").build(), Tag.builder().key("env").value("b").build()).build());
        world.call("UntagResource", UntagResourceRequest.builder().secretId("tagged").tagKeys("env").build());
        DescribeSecretResponse described = world.call("DescribeSecret", DescribeSecretRequest.builder()
                .secretId("tagged").build());

        assertThat(described.tags()).containsExactly(Tag.builder().key("team").value("a").build());
        fails(() -> world.call("TagResource", TagResourceRequest.builder().secretId("missing")
                .tags(Tag.builder().key("k").value("v").build()).build()), "ResourceNotFoundException");
    }

    @Test
    void callsAreDecidedOnTheSecretsArnAndACustomerKeyNeedsKms() {
        world.call("CreateSecret", CreateSecretRequest.builder().name("cmk").secretString("v").kmsKeyId("alias/app")
                .build());
        world.denied.add("kms:Decrypt");

        assertThatThrownBy(() -> world.get("cmk")).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("AccessDeniedException");
            assertThat(e.getMessage()).isEqualTo("Access to KMS is not allowed");
        });
        world.create("plain", "v");
        assertThat(world.get("plain").secretString()).isEqualTo("v");
        world.denied.add("secretsmanager:GetSecretValue");
        assertThatThrownBy(() -> world.get("plain")).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("AccessDeniedException");
            assertThat(e.getMessage()).startsWith("User: arn:aws:iam::123456789012:user/app is not authorized to "
                    + "perform: secretsmanager:GetSecretValue on resource: " + ARN_PREFIX + "plain-");
        });
    }

    @Test
    void aValueOfAnotherVersionIsAskedByIdOrStage() {
        CreateSecretResponse created = world.create("v", "first");
        world.call("UpdateSecret", UpdateSecretRequest.builder().secretId("v").secretString("second").build());

        GetSecretValueResponse previous = world.call("GetSecretValue", GetSecretValueRequest.builder().secretId("v")
                .versionStage("AWSPREVIOUS").build());
        GetSecretValueResponse byId = world.call("GetSecretValue", GetSecretValueRequest.builder().secretId("v")
                .versionId(created.versionId()).build());

        assertThat(previous.secretString()).isEqualTo("first");
        assertThat(byId.versionStages()).containsExactly("AWSPREVIOUS");
        fails(() -> world.call("GetSecretValue", GetSecretValueRequest.builder().secretId("v")
                .versionId("00000000-0000-0000-0000-000000000000").build()), "ResourceNotFoundException");
        fails(() -> world.call("GetSecretValue", GetSecretValueRequest.builder().secretId("v")
                .versionStage("AWSPENDING").build()), "ResourceNotFoundException");
        assertThat(List.of(previous.versionId())).containsExactly(created.versionId());
    }
}
