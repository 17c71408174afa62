package io.berth.agent.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.agent.FakeJsonService.Call;
import io.berth.agent.docker.RegistryAuth;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class SecretResolverTest {

    private static final String PREFIX = "ResourceInitializationError: unable to pull secrets or registry auth: "
            + "execution resource retrieval failed: ";
    private static final AwsCredentialsProvider EXECUTION_ROLE = StaticCredentialsProvider.create(
            AwsSessionCredentials.create("ASIAEXECUTION", "execution-secret", "execution-token"));

    private FakeSecrets aws;
    private SecretResolver resolver;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeSecrets();
        resolver = SecretResolver.of(aws.endpoint(), "us-east-1");
    }

    @AfterEach
    void stop() throws Exception {
        aws.close();
    }

    @Test
    void ssmParametersByNameOrArnBecomeEnvironmentVariablesDecrypted() throws Exception {
        aws.parameter("/prod/db/password", "hunter2");
        aws.parameter("/prod/db/user", "admin");
        aws.parameter("simple", "plain value");

        Map<String, String> environment = resolver.environment(List.of(
                secret("DB_PASSWORD", "/prod/db/password"),
                secret("DB_USER", "arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/user"),
                secret("SIMPLE", "simple")), EXECUTION_ROLE);

        assertThat(environment).containsExactly(Map.entry("DB_PASSWORD", "hunter2"), Map.entry("DB_USER", "admin"),
                Map.entry("SIMPLE", "plain value"));
        Call call = aws.calls().getFirst();
        assertThat(call.operation()).isEqualTo("GetParameters");
        assertThat(call.body().path("WithDecryption").asBoolean()).isTrue();
        assertThat(call.authorization()).contains("Credential=ASIAEXECUTION/").contains("/us-east-1/ssm/aws4_request");
        assertThat(call.securityToken()).isEqualTo("execution-token");
    }

    @Test
    void parametersAreFetchedTenNamesACallAndEachRegionOnItsOwn() throws Exception {
        List<ContainerSecret> secrets = new ArrayList<>();
        IntStream.rangeClosed(1, 23).forEach(i -> {
            aws.parameter("/p/" + i, "value " + i);
            secrets.add(secret("P" + i, "/p/" + i));
        });
        aws.parameter("/elsewhere", "far");
        secrets.add(secret("FAR", "arn:aws:ssm:eu-west-1:123456789012:parameter/elsewhere"));

        Map<String, String> environment = resolver.environment(secrets, EXECUTION_ROLE);

        assertThat(environment).hasSize(24).containsEntry("P23", "value 23").containsEntry("FAR", "far");
        assertThat(aws.calls()).extracting(c -> c.body().path("Names").size()).containsExactly(10, 10, 3, 1);
        assertThat(aws.calls().getLast().authorization()).contains("/eu-west-1/ssm/aws4_request");
    }

    @Test
    void aParameterVersionIsAskedForByItsSelector() throws Exception {
        aws.parameter("rotated", "old", "new");

        assertThat(resolver.environment(List.of(secret("NOW", "rotated"), secret("THEN", "rotated:1")),
                EXECUTION_ROLE)).containsExactly(Map.entry("NOW", "new"), Map.entry("THEN", "old"));
    }

    @Test
    void aWholeSecretOrOneJsonKeyOfItBecomesTheValue() throws Exception {
        String arn = aws.secret("us-east-1", "prod/db", "{\"username\": \"admin\", \"port\": 5432, \"tls\": {\"on\": true}}");

        Map<String, String> environment = resolver.environment(List.of(secret("ALL", arn),
                secret("USER", arn + ":username::"), secret("PORT", arn + ":port::"), secret("TLS", arn + ":tls::")),
                EXECUTION_ROLE);

        assertThat(environment).containsEntry("ALL", "{\"username\": \"admin\", \"port\": 5432, \"tls\": {\"on\": true}}")
                .containsEntry("USER", "admin").containsEntry("PORT", "5432").containsEntry("TLS", "{\"on\":true}");
        assertThat(aws.calls()).allSatisfy(call -> {
            assertThat(call.operation()).isEqualTo("GetSecretValue");
            assertThat(call.body().path("SecretId").asText()).isEqualTo(arn);
            assertThat(call.authorization()).contains("Credential=ASIAEXECUTION/")
                    .contains("/us-east-1/secretsmanager/aws4_request");
        });
    }

    @Test
    void aVersionStageOrVersionIdPicksTheSecretsVersion() throws Exception {
        String arn = aws.secret("us-east-1", "api", "{\"key\": \"first\"}");
        aws.rotate(arn, "v2", "{\"key\": \"second\"}");

        Map<String, String> environment = resolver.environment(List.of(secret("CURRENT", arn + ":key::"),
                secret("PREVIOUS", arn + ":key:AWSPREVIOUS:"), secret("BY_ID", arn + ":key::v1")), EXECUTION_ROLE);

        assertThat(environment).containsExactly(Map.entry("CURRENT", "second"), Map.entry("PREVIOUS", "first"),
                Map.entry("BY_ID", "first"));
        assertThat(aws.calls().get(1).body().path("VersionStage").asText()).isEqualTo("AWSPREVIOUS");
        assertThat(aws.calls().get(2).body().path("VersionId").asText()).isEqualTo("v1");
    }

    @Test
    void aMissingJsonKeyStopsTheTaskWithoutShowingTheSecret() {
        String arn = aws.secret("us-east-1", "db", "{\"username\": \"admin\", \"password\": \"hunter2\"}");

        assertThatThrownBy(() -> resolver.environment(List.of(secret("X", arn + ":missing::")), EXECUTION_ROLE))
                .isInstanceOf(SecretsUnavailableException.class)
                .hasMessage(PREFIX + "unable to retrieve secret from asm: retrieved secret from Secrets Manager did "
                        + "not contain json key missing")
                .message().doesNotContain("hunter2").doesNotContain("admin");
    }

    @Test
    void aJsonKeyOfASecretThatIsNoJsonObjectFailsWithoutQuotingIt() {
        String arn = aws.secret("us-east-1", "plain", "hunter2 is not json");

        assertThatThrownBy(() -> resolver.environment(List.of(secret("X", arn + ":key::")), EXECUTION_ROLE))
                .hasMessageContaining("is not a JSON object, so it has no json key key")
                .message().doesNotContain("hunter2");
    }

    @Test
    void anUnknownVersionStageIsReportedWithTheServicesWords() {
        String arn = aws.secret("us-east-1", "api", "value");

        assertThatThrownBy(() -> resolver.environment(List.of(secret("X", arn + "::AWSPENDING:")), EXECUTION_ROLE))
                .hasMessageContaining("ResourceNotFoundException: The task can't retrieve the secret with ARN '"
                        + arn + "' from AWS Secrets Manager");
    }

    @Test
    void missingParametersAndSecretsAreAllNamed() {
        aws.parameter("/present", "value");

        assertThatThrownBy(() -> resolver.environment(List.of(secret("A", "/present"), secret("B", "/absent"),
                secret("C", "/also-absent"),
                secret("D", "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbCdEf")), EXECUTION_ROLE))
                .hasMessage(PREFIX + "unable to retrieve secrets from ssm: invalid ssm parameters: /absent,/also-absent; "
                        + "unable to retrieve secret from asm: ResourceNotFoundException: The task can't retrieve the "
                        + "secret with ARN 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbCdEf' from AWS "
                        + "Secrets Manager. Check whether the secret exists in the specified Region");
    }

    @Test
    void aDeniedRoleStopsTheTaskWithTheServicesReasonAndNoValue() {
        aws.parameter("/prod/token", "t0ps3cret");
        aws.deny("/prod/token");
        String arn = aws.secret("us-east-1", "db", "{\"password\": \"hunter2\"}");
        aws.deny(arn);

        assertThatThrownBy(() -> resolver.environment(List.of(secret("T", "/prod/token"),
                secret("P", arn + ":password::")), EXECUTION_ROLE))
                .hasMessageStartingWith(PREFIX + "unable to retrieve secrets from ssm: AccessDeniedException: User: "
                        + "arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/task is not authorized to "
                        + "perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:123456789012:parameter/prod/token")
                .hasMessageContaining("; unable to retrieve secret from asm: failed to fetch secret " + arn
                        + " from secrets manager: AccessDeniedException: User: ")
                .message().doesNotContain("t0ps3cret").doesNotContain("hunter2");
    }

    @Test
    void withoutAnExecutionRoleNothingIsFetched() {
        assertThatThrownBy(() -> resolver.environment(List.of(secret("A", "/x")), null))
                .hasMessage(PREFIX + "unable to find execution role credentials");
        assertThat(aws.calls()).isEmpty();
    }

    @Test
    void aMalformedValueFromIsReportedWithTheOthers() {
        assertThatThrownBy(() -> resolver.environment(List.of(secret("A",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:only-a-key")), EXECUTION_ROLE))
                .hasMessage(PREFIX + "an invalid ARN format for the AWS Secrets Manager secret was specified. "
                        + "Specify a valid ARN and try again.");
    }

    @Test
    void anUnreachableServiceFailsTheTaskSayingSo() throws Exception {
        SecretResolver nowhere = SecretResolver.of(URI.create("http://127.0.0.1:9"), "us-east-1");

        assertThatThrownBy(() -> nowhere.environment(List.of(secret("A", "/x")), EXECUTION_ROLE))
                .hasMessageStartingWith(PREFIX + "unable to retrieve secrets from ssm: ");
    }

    @Test
    void noSecretsNeedNoRole() throws Exception {
        assertThat(resolver.environment(List.of(), null)).isEmpty();
    }

    @Test
    void repositoryCredentialsBecomeTheLoginForTheImagesRegistry() throws Exception {
        String arn = aws.secret("us-east-1", "registry", "{\"username\": \"builder\", \"password\": \"s3cret\"}");

        RegistryAuth auth = resolver.registryAuth("registry.example.com:5000/team/app:1", arn, EXECUTION_ROLE);

        assertThat(auth.forImage("registry.example.com:5000/team/app:1")).hasValueSatisfying(login -> {
            assertThat(login.username()).isEqualTo("builder");
            assertThat(login.password()).isEqualTo("s3cret");
            assertThat(login.registry()).isEqualTo("registry.example.com:5000");
        });
        assertThat(auth.forImage("other.example.com/app")).isEmpty();
        assertThat(resolver.registryAuth("registry.example.com:5000/app", "registry", EXECUTION_ROLE).logins())
                .hasSize(1);
    }

    @Test
    void repositoryCredentialsWithoutUsernameOrPasswordAreRefusedAsEcsRefusesThem() {
        String noPassword = aws.secret("us-east-1", "half", "{\"username\": \"builder\"}");
        String notJson = aws.secret("us-east-1", "text", "builder:s3cret");

        assertThatThrownBy(() -> resolver.registryAuth("r.example.com/app", noPassword, EXECUTION_ROLE))
                .hasMessage(PREFIX + "unable to retrieve secret from asm: asm fetching password: AuthorizationData is "
                        + "malformed, empty field");
        assertThatThrownBy(() -> resolver.registryAuth("r.example.com/app", notJson, EXECUTION_ROLE))
                .hasMessage(PREFIX + "unable to retrieve secret from asm: asm fetching authorization data: unable to "
                        + "unmarshal secret value, invalid schema")
                .message().doesNotContain("s3cret");
        assertThatThrownBy(() -> resolver.registryAuth("r.example.com/app", "absent", EXECUTION_ROLE))
                .hasMessageContaining("ResourceNotFoundException");
        assertThatThrownBy(() -> resolver.registryAuth("r.example.com/app", "absent", null))
                .hasMessage(PREFIX + "unable to find execution role credentials");
    }

    private static ContainerSecret secret(String name, String valueFrom) {
        return new ContainerSecret(name, valueFrom);
    }
}
