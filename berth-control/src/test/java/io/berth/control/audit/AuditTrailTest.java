package io.berth.control.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.control.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditTrailTest {

    private static final Scope SCOPE = new Scope("aws", "123456789012", "us-east-1");
    private static final String ROOT = "arn:aws:iam::123456789012:root";
    private static final String ALICE = "arn:aws:iam::123456789012:user/team/alice";
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00.250Z");

    private final MemoryAuditStore store = new MemoryAuditStore();
    private final AuditTrail trail = new AuditTrail(store);

    @Test
    void aMutatingCallIsRecordedWithItsCallerResourcesAndSource() throws Exception {
        assertThat(trail.record(json(ALICE, "ecs", "CreateCluster", "{\"clusterName\":\"prod\",\"tags\":[]}", null)))
                .isTrue();

        AuditRecord record = store.records.getFirst();
        assertThat(record.eventName()).isEqualTo("CreateCluster");
        assertThat(record.eventSource()).isEqualTo("ecs.amazonaws.com");
        assertThat(record.username()).isEqualTo("alice");
        assertThat(record.accessKeyId()).isEqualTo("AKIAALICE");
        assertThat(record.readOnly()).isFalse();
        assertThat(record.scope()).isEqualTo(SCOPE.key());
        assertThat(record.eventTime()).isEqualTo(NOW.toEpochMilli());
        assertThat(record.resources()).containsExactly(new AuditResource("AWS::ECS::Cluster", "prod"));

        JsonNode event = new ObjectMapper().readTree(record.cloudTrailEvent());
        assertThat(event.path("userIdentity").path("type").asText()).isEqualTo("IAMUser");
        assertThat(event.path("userIdentity").path("arn").asText()).isEqualTo(ALICE);
        assertThat(event.path("userIdentity").path("userName").asText()).isEqualTo("alice");
        assertThat(event.path("userIdentity").path("accessKeyId").asText()).isEqualTo("AKIAALICE");
        assertThat(event.path("eventTime").asText()).isEqualTo("2025-03-01T12:00:00Z");
        assertThat(event.path("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(event.path("sourceIPAddress").asText()).isEqualTo("10.0.0.7");
        assertThat(event.path("userAgent").asText()).isEqualTo("aws-cli/2");
        assertThat(event.path("requestParameters").path("clusterName").asText()).isEqualTo("prod");
        assertThat(event.path("requestID").asText()).isEqualTo("req-1");
        assertThat(event.path("eventID").asText()).isEqualTo(record.eventId());
        assertThat(event.path("eventType").asText()).isEqualTo("AwsApiCall");
        assertThat(event.path("readOnly").asBoolean(true)).isFalse();
        assertThat(event.path("recipientAccountId").asText()).isEqualTo("123456789012");
        assertThat(event.has("errorCode")).isFalse();
    }

    @Test
    void readsAreNotRecordedButEveryServicesWritesAre() {
        for (String[] read : new String[][] {{"ecs", "DescribeClusters"}, {"ecs", "ListTasks"},
                {"ecs", "DiscoverPollEndpoint"}, {"logs", "FilterLogEvents"}, {"logs", "GetLogEvents"},
                {"ssm", "GetParametersByPath"}, {"secretsmanager", "GetSecretValue"}, {"iam", "ListUsers"},
                {"iam", "SimulatePrincipalPolicy"}, {"sts", "GetCallerIdentity"},
                {"cloudtrail", "LookupEvents"}}) {
            assertThat(trail.record(json(ROOT, read[0], read[1], "{}", null))).as(read[1]).isFalse();
        }
        for (String[] write : new String[][] {{"ecs", "RunTask"}, {"ecs", "SubmitTaskStateChange"},
                {"logs", "CreateLogGroup"}, {"ssm", "PutParameter"}, {"secretsmanager", "CreateSecret"},
                {"iam", "CreateUser"}, {"cloudtrail", "CreateTrail"}}) {
            assertThat(trail.record(json(ROOT, write[0], write[1], "{}", null))).as(write[1]).isTrue();
        }
        assertThat(store.records).extracting(AuditRecord::eventSource).contains("logs.amazonaws.com",
                "ssm.amazonaws.com", "secretsmanager.amazonaws.com", "iam.amazonaws.com");
    }

    @Test
    void putLogEventsIsADataEventAndNotRecorded() {
        assertThat(trail.record(json(ROOT, "logs", "PutLogEvents", "{\"logGroupName\":\"g\"}", null))).isFalse();
    }

    @Test
    void stsCredentialCallsAreRecordedReadOnlyAsCloudTrailDoes() {
        assertThat(trail.record(query(ALICE, "sts", "AssumeRole", Map.of("Action", "AssumeRole", "RoleArn",
                "arn:aws:iam::123456789012:role/app", "RoleSessionName", "s1")))).isTrue();

        AuditRecord record = store.records.getFirst();
        assertThat(record.readOnly()).isTrue();
        assertThat(record.eventSource()).isEqualTo("sts.amazonaws.com");
        assertThat(record.resources()).containsExactly(new AuditResource("AWS::IAM::Role",
                "arn:aws:iam::123456789012:role/app"));
        assertThat(record.cloudTrailEvent()).contains("\"roleSessionName\":\"s1\"");
    }

    @Test
    void aWriteBerthDoesNotAnswerIsRecordedWithItsError() {
        assertThat(trail.record(json(ROOT, "iam", "CreateLoginProfile", "{}", "InvalidAction"))).isTrue();
    }

    @Test
    void iamAndGlobalStsEventsAreInUsEast1AsCloudTrailFilesThem() {
        Scope global = new Scope("aws", "123456789012", "aws-global");
        trail.record(query(ROOT, "iam", "CreateUser", Map.of("UserName", "bob")).in(global));
        trail.record(query(ROOT, "iam", "CreateUser", Map.of("UserName", "eve"))
                .in(new Scope("aws", "123456789012", "eu-west-1")));
        trail.record(query(ROOT, "sts", "AssumeRole", Map.of()).in(global));
        trail.record(query(ROOT, "sts", "AssumeRole", Map.of()).in(new Scope("aws", "123456789012", "eu-west-1")));

        assertThat(store.records).extracting(AuditRecord::scope).containsExactly(SCOPE.key(), SCOPE.key(),
                SCOPE.key(), "aws:123456789012:eu-west-1");
        assertThat(store.records.getFirst().cloudTrailEvent()).contains("\"awsRegion\":\"us-east-1\"");
    }

    @Test
    void aRefusedCallIsRecordedWithItsErrorCode() {
        trail.record(json(ALICE, "ecs", "DeleteCluster", "{\"cluster\":\"prod\"}", "AccessDeniedException"));

        assertThat(store.records.getFirst().cloudTrailEvent()).contains("\"errorCode\":\"AccessDeniedException\"");
    }

    @Test
    void callsNamingNoOperationOrNoCallerAreNotRecorded() {
        assertThat(trail.record(json(ROOT, "ecs", "Create Cluster<script>", "{}", null))).isFalse();
        assertThat(trail.record(json(ROOT, null, "CreateCluster", "{}", null))).isFalse();
        assertThat(trail.record(new AuditedCall(NOW, null, null, null, "10.0.0.7", null, "ecs", "CreateCluster",
                "req-1", new byte[0], Map.of(), "UnrecognizedClientException"))).isFalse();
        assertThat(store.records).isEmpty();
    }

    @Test
    void noSecretValueReachesTheTrail() {
        trail.record(json(ROOT, "ssm", "PutParameter",
                "{\"Name\":\"/db/pass\",\"Value\":\"s3cr3t-ssm\",\"Type\":\"SecureString\"}", null));
        trail.record(json(ROOT, "secretsmanager", "CreateSecret",
                "{\"Name\":\"db\",\"SecretString\":\"s3cr3t-sm\",\"SecretBinary\":\"czNjcjN0LWJpbg==\"}", null));
        trail.record(json(ROOT, "secretsmanager", "PutSecretValue",
                "{\"SecretId\":\"db\",\"SecretString\":{\"nested\":\"s3cr3t-nested\"}}", null));
        trail.record(query(ROOT, "iam", "CreateLoginProfile", Map.of("Action", "CreateLoginProfile", "UserName",
                "bob", "Password", "s3cr3t-login")));
        trail.record(json(ROOT, "ecs", "RegisterTaskDefinition", "{\"family\":\"web\",\"containerDefinitions\":"
                + "[{\"environment\":[{\"name\":\"PASSWORD\",\"value\":\"s3cr3t-env\"}]}]}", null));

        assertThat(store.records).hasSize(5);
        assertThat(store.records.toString()).doesNotContain("s3cr3t", "czNjcjN0");
        assertThat(store.records.getFirst().resources()).containsExactly(
                new AuditResource("AWS::SSM::Parameter", "/db/pass"));
        assertThat(store.records.get(3).resources()).containsExactly(new AuditResource("AWS::IAM::User", "bob"));
    }

    @Test
    void listsOfNamesAreResourcesEach() {
        trail.record(json(ROOT, "ssm", "DeleteParameters", "{\"Names\":[\"/a\",\"/b\",{\"x\":1}]}", null));

        assertThat(store.records.getFirst().resources()).containsExactly(
                new AuditResource("AWS::SSM::Parameter", "/a"), new AuditResource("AWS::SSM::Parameter", "/b"));
    }

    @Test
    void aBodyThatIsNotJsonStillGivesARecordWithoutParameters() {
        trail.record(json(ROOT, "ecs", "CreateCluster", "{\"clusterName\":", "SerializationException"));

        assertThat(store.records.getFirst().resources()).isEmpty();
        assertThat(store.records.getFirst().cloudTrailEvent()).contains("\"requestParameters\":null");
    }

    @Test
    void theIdentityFollowsThePrincipal() {
        trail.record(json(ROOT, "ecs", "CreateCluster", "{}", null));
        trail.record(json("arn:aws:sts::123456789012:assumed-role/app/session-7", "ecs", "RunTask", "{}", null));

        assertThat(store.records).extracting(AuditRecord::username).containsExactly("root", "session-7");
        assertThat(store.records.getFirst().cloudTrailEvent()).contains("\"type\":\"Root\"",
                "\"principalId\":\"123456789012\"");
        assertThat(store.records.get(1).cloudTrailEvent()).contains("\"type\":\"AssumedRole\"");
    }

    private static AuditedCall json(String principal, String service, String operation, String body, String error) {
        return new AuditedCall(NOW, SCOPE, principal, "AKIAALICE", "10.0.0.7", "aws-cli/2", service, operation,
                "req-1", body.getBytes(StandardCharsets.UTF_8), Map.of(), error);
    }

    private static AuditedCall query(String principal, String service, String operation, Map<String, String> params) {
        return new AuditedCall(NOW, SCOPE, principal, "AKIAALICE", "10.0.0.7", "aws-cli/2", service, operation,
                "req-1", null, params, null);
    }
}
