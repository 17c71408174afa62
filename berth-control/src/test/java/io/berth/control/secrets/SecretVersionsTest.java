package io.berth.control.secrets;

import static io.berth.control.secrets.SecretsManagerTest.fails;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageRequest;

/** Versions and staging labels: AWSCURRENT, AWSPREVIOUS and AWSPENDING move as Secrets Manager moves them. */
class SecretVersionsTest {

    private static final String TOKEN_1 = "11111111-1111-1111-1111-111111111111";
    private static final String TOKEN_2 = "22222222-2222-2222-2222-222222222222";
    private static final String TOKEN_3 = "33333333-3333-3333-3333-333333333333";

    private final SecretsWorld world = new SecretsWorld();

    @AfterEach
    void close() {
        world.close();
    }

    private PutSecretValueResponse put(String token, String value, String... stages) {
        PutSecretValueRequest.Builder request = PutSecretValueRequest.builder().secretId("rot").clientRequestToken(token)
                .secretString(value);
        return world.call("PutSecretValue", (stages.length == 0 ? request : request.versionStages(stages)).build());
    }

    private Map<String, List<String>> stages() {
        DescribeSecretResponse described = world.call("DescribeSecret", DescribeSecretRequest.builder()
                .secretId("rot").build());
        return described.versionIdsToStages();
    }

    private String valueAt(String stage) {
        GetSecretValueResponse got = world.call("GetSecretValue", GetSecretValueRequest.builder().secretId("rot")
                .versionStage(stage).build());
        return got.secretString();
    }

    @Test
    void aNewCurrentVersionMakesTheOldOnePreviousAndTheOneBeforeDeprecated() {
        world.create("rot", "zero");
        String first = stages().keySet().iterator().next();

        put(TOKEN_1, "one");
        put(TOKEN_2, "two");

        assertThat(stages()).containsEntry(first, List.of()).containsEntry(TOKEN_1, List.of("AWSPREVIOUS"))
                .containsEntry(TOKEN_2, List.of("AWSCURRENT"));
        assertThat(valueAt("AWSPREVIOUS")).isEqualTo("one");
    }

    @Test
    void aPendingVersionIsPromotedByMovingCurrent() {
        world.create("rot", "old");
        String old = stages().keySet().iterator().next();
        PutSecretValueResponse pending = put(TOKEN_1, "new", "AWSPENDING");

        assertThat(pending.versionStages()).containsExactly("AWSPENDING");
        assertThat(valueAt("AWSCURRENT")).isEqualTo("old");
        assertThat(valueAt("AWSPENDING")).isEqualTo("new");

        fails(() -> world.call("UpdateSecretVersionStage", UpdateSecretVersionStageRequest.builder().secretId("rot")
                .versionStage("AWSCURRENT").moveToVersionId(TOKEN_1).build()), "InvalidParameterException");
        world.call("UpdateSecretVersionStage", UpdateSecretVersionStageRequest.builder().secretId("rot")
                .versionStage("AWSCURRENT").moveToVersionId(TOKEN_1).removeFromVersionId(old).build());
        world.call("UpdateSecretVersionStage", UpdateSecretVersionStageRequest.builder().secretId("rot")
                .versionStage("AWSPENDING").removeFromVersionId(TOKEN_1).build());

        assertThat(stages()).containsEntry(TOKEN_1, List.of("AWSCURRENT")).containsEntry(old, List.of("AWSPREVIOUS"));
        fails(() -> world.call("UpdateSecretVersionStage", UpdateSecretVersionStageRequest.builder().secretId("rot")
                .versionStage("AWSCURRENT").removeFromVersionId(TOKEN_1).build()), "InvalidParameterException");
    }

    @Test
    void aRepeatedTokenWithTheSameValueChangesNothingAndWithAnotherIsRefused() {
        world.create("rot", "zero");
        put(TOKEN_1, "one");

        PutSecretValueResponse repeated = put(TOKEN_1, "one");

        assertThat(repeated.versionId()).isEqualTo(TOKEN_1);
        assertThat(stages()).hasSize(2);
        fails(() -> put(TOKEN_1, "other"), "ResourceExistsException");
        fails(() -> world.call("PutSecretValue", PutSecretValueRequest.builder().secretId("rot")
                .clientRequestToken(TOKEN_3).build()), "InvalidRequestException");
        fails(() -> put("short", "v"), "ValidationException");
    }

    @Test
    void deprecatedVersionsBeyondAHundredAreDropped() {
        world.create("rot", "v0");
        for (int i = 1; i <= 105; i++) {
            put(String.format("%08d-0000-0000-0000-000000000000", i), "v" + i);
        }

        assertThat(stages()).hasSize(100).containsEntry("00000105-0000-0000-0000-000000000000", List.of("AWSCURRENT"));
        assertThat(world.store.list(Secrets.VALUES.name(), SecretsWorld.SCOPE.key())).hasSize(100);
    }

    @Test
    void stageMovesArePureFunctionsOfTheVersions() {
        SecretVersion a = new SecretVersion("a", world.clock.instant(), List.of("AWSCURRENT", "custom"));
        SecretVersion b = new SecretVersion("b", world.clock.instant(), List.of("AWSPENDING"));

        List<SecretVersion> moved = SecretStages.move(List.of(a, b), "AWSCURRENT", "b");

        assertThat(moved).extracting(SecretVersion::stages).containsExactly(List.of("custom", "AWSPREVIOUS"),
                List.of("AWSPENDING", "AWSCURRENT"));
        assertThat(SecretStages.remove(moved, "custom").get(0).stages()).containsExactly("AWSPREVIOUS");
    }
}
