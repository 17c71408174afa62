package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/** Secrets Manager through the real SDK {@code SecretsManagerClient}, as root and as a restricted user. */
class SecretsManagerApiTest extends ApiTest {

    private static final String READ_APP_ONLY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
               "Resource": "arn:aws:secretsmanager:*:*:secret:app/*"}]}""";

    static SecretsManagerClient secrets;
    static SecretsManagerClient reader;

    @BeforeAll
    static void clients() {
        secrets = berth.secretsManager();
        try (IamClient iam = berth.iam()) {
            iam.createUser(r -> r.userName("secret-reader"));
            iam.putUserPolicy(r -> r.userName("secret-reader").policyName("read-app").policyDocument(READ_APP_ONLY));
            AccessKey key = iam.createAccessKey(r -> r.userName("secret-reader")).accessKey();
            reader = berth.secretsManager(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
        }
    }

    @AfterAll
    static void closeClients() {
        secrets.close();
        reader.close();
    }

    @Test
    void aSecretIsCreatedReadByNameOrArnAndRotatedThroughItsStages() {
        CreateSecretResponse created = secrets.createSecret(r -> r.name("app/db").secretString("{\"password\":\"one\"}")
                .tags(Tag.builder().key("team").value("blue").build()));
        String next = secrets.putSecretValue(r -> r.secretId(created.arn()).secretString("{\"password\":\"two\"}")
                .versionStages("AWSPENDING")).versionId();
        secrets.updateSecretVersionStage(r -> r.secretId("app/db").versionStage("AWSCURRENT").moveToVersionId(next)
                .removeFromVersionId(created.versionId()));

        GetSecretValueResponse current = secrets.getSecretValue(r -> r.secretId("app/db"));
        GetSecretValueResponse previous = secrets.getSecretValue(r -> r.secretId(created.arn().substring(0,
                created.arn().length() - 7)).versionStage("AWSPREVIOUS"));
        DescribeSecretResponse described = secrets.describeSecret(r -> r.secretId("app/db"));

        assertThat(created.arn()).matches("arn:aws:secretsmanager:us-east-1:" + berth.accountId()
                + ":secret:app/db-[A-Za-z0-9]{6}");
        assertThat(current.secretString()).isEqualTo("{\"password\":\"two\"}");
        assertThat(current.versionStages()).contains("AWSCURRENT", "AWSPENDING");
        assertThat(previous.secretString()).isEqualTo("{\"password\":\"one\"}");
        assertThat(described.versionIdsToStages()).containsEntry(created.versionId(), List.of("AWSPREVIOUS"));
        assertThat(described.tags()).containsExactly(Tag.builder().key("team").value("blue").build());
    }

    @Test
    void aBinarySecretAndAnUpdate() {
        secrets.createSecret(r -> r.name("bin").secretBinary(SdkBytes.fromByteArray(new byte[] {1, 2, 3})));
        secrets.updateSecret(r -> r.secretId("bin").description("bytes").kmsKeyId("alias/aws/secretsmanager"));

        assertThat(secrets.getSecretValue(r -> r.secretId("bin")).secretBinary().asByteArray()).containsExactly(1, 2, 3);
        assertThat(secrets.describeSecret(r -> r.secretId("bin")).description()).isEqualTo("bytes");
    }

    @Test
    void deletionWithARecoveryWindowRefusesTheValueUntilRestored() {
        secrets.createSecret(r -> r.name("doomed").secretString("v"));

        DeleteSecretResponse deleted = secrets.deleteSecret(r -> r.secretId("doomed").recoveryWindowInDays(7L));

        assertThat(deleted.deletionDate()).isAfter(java.time.Instant.now().plus(java.time.Duration.ofDays(6)));
        assertThatThrownBy(() -> secrets.getSecretValue(r -> r.secretId("doomed")))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(secrets.listSecrets(r -> r.includePlannedDeletion(true)).secretList())
                .extracting(SecretListEntry::name).contains("doomed");
        secrets.restoreSecret(r -> r.secretId("doomed"));
        assertThat(secrets.getSecretValue(r -> r.secretId("doomed")).secretString()).isEqualTo("v");
        secrets.deleteSecret(r -> r.secretId("doomed").forceDeleteWithoutRecovery(true));
        assertThatThrownBy(() -> secrets.describeSecret(r -> r.secretId("doomed")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void errorsComeAsTheSdksExceptions() {
        secrets.createSecret(r -> r.name("dup").secretString("v"));

        assertThatThrownBy(() -> secrets.createSecret(r -> r.name("dup").secretString("w")))
                .isInstanceOf(ResourceExistsException.class);
        assertThatThrownBy(() -> secrets.createSecret(r -> r.name("no spaces").secretString("w")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> secrets.deleteSecret(r -> r.secretId("dup").recoveryWindowInDays(3L)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> secrets.getSecretValue(r -> r.secretId("nothing")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> secrets.putSecretValue(r -> r.secretId("dup")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void listingFiltersAndPagesThroughTheSdksPaginator() {
        for (int i = 0; i < 12; i++) {
            int n = i;
            secrets.createSecret(r -> r.name("listed/s" + n).secretString("v"));
        }

        List<String> names = secrets.listSecretsPaginator(r -> r.maxResults(5)
                .filters(Filter.builder().key(FilterNameStringType.NAME).values("listed/").build())).stream()
                .flatMap(page -> page.secretList().stream()).map(SecretListEntry::name).toList();

        assertThat(names).hasSize(12).doesNotHaveDuplicates();
        assertThat(secrets.getRandomPassword(r -> r.passwordLength(40L).excludePunctuation(true)).randomPassword())
                .matches("[A-Za-z0-9]{40}");
    }

    @Test
    void aRestrictedUserReadsOnlyWhatItsPolicyAllows() {
        secrets.createSecret(r -> r.name("app/token").secretString("t1"));
        secrets.createSecret(r -> r.name("ops/token").secretString("t2"));

        assertThat(reader.getSecretValue(r -> r.secretId("app/token")).secretString()).isEqualTo("t1");
        assertThatThrownBy(() -> reader.getSecretValue(r -> r.secretId("ops/token")))
                .isInstanceOfSatisfying(SecretsManagerException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("secretsmanager:GetSecretValue")
                            .doesNotContain("t2");
                });
        assertThatThrownBy(() -> reader.describeSecret(r -> r.secretId("app/token")))
                .isInstanceOfSatisfying(SecretsManagerException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }
}
