package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.control.iam.AccessKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.InvalidLookupAttributesException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidMaxResultsException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidTimeRangeException;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.cloudtrail.model.UnsupportedOperationException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** The audit trail through CloudTrail's LookupEvents with the SDK v2 client, against a real server. */
class AuditTrailApiTest extends ApiTest {

    private static final String LOOKUP_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"cloudtrail:LookupEvents\",\"ecs:CreateCluster\"],\"Resource\":\"*\"}]}";
    private static final String ECS_ONLY_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"ecs:*\",\"Resource\":\"*\"}]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    static CloudTrailClient trail;

    @BeforeAll
    static void client() {
        trail = cloudTrail(berth.key().accessKeyId(), berth.key().secretAccessKey());
    }

    @AfterAll
    static void closeClient() {
        trail.close();
    }

    @Test
    void aCreateClusterIsFoundByEachAttributeWithItsCaller() throws Exception {
        ecs.createCluster(r -> r.clusterName("audited"));
        Event event = lookup(LookupAttributeKey.RESOURCE_NAME, "audited").getFirst();

        assertThat(event.eventName()).isEqualTo("CreateCluster");
        assertThat(event.eventSource()).isEqualTo("ecs.amazonaws.com");
        assertThat(event.username()).isEqualTo("root");
        assertThat(event.readOnly()).isEqualTo("false");
        assertThat(event.accessKeyId()).isEqualTo(berth.key().accessKeyId());
        assertThat(event.resources()).singleElement().satisfies(r -> {
            assertThat(r.resourceType()).isEqualTo("AWS::ECS::Cluster");
            assertThat(r.resourceName()).isEqualTo("audited");
        });
        JsonNode document = JSON.readTree(event.cloudTrailEvent());
        assertThat(document.path("userIdentity").path("arn").asText())
                .isEqualTo("arn:aws:iam::" + berth.accountId() + ":root");
        assertThat(document.path("sourceIPAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(document.path("userAgent").asText()).contains("aws-sdk-java");
        assertThat(document.path("awsRegion").asText()).isEqualTo(RunningBerth.REGION);
        assertThat(document.path("recipientAccountId").asText()).isEqualTo(berth.accountId());
        assertThat(document.path("requestID").asText()).isNotBlank();

        for (LookupAttribute attribute : List.of(attribute(LookupAttributeKey.EVENT_NAME, "CreateCluster"),
                attribute(LookupAttributeKey.USERNAME, "root"),
                attribute(LookupAttributeKey.EVENT_SOURCE, "ecs.amazonaws.com"),
                attribute(LookupAttributeKey.READ_ONLY, "false"),
                attribute(LookupAttributeKey.ACCESS_KEY_ID, berth.key().accessKeyId()),
                attribute(LookupAttributeKey.EVENT_ID, event.eventId()),
                attribute(LookupAttributeKey.RESOURCE_TYPE, "AWS::ECS::Cluster"))) {
            assertThat(all(LookupEventsRequest.builder().lookupAttributes(attribute).build()))
                    .as(attribute.attributeKeyAsString()).extracting(Event::eventId).contains(event.eventId());
        }
        assertThat(lookup(LookupAttributeKey.EVENT_NAME, "DescribeClusters")).isEmpty();
    }

    @Test
    void aFailedCallIsRecordedWithItsErrorCode() throws Exception {
        assertThatThrownBy(() -> ecs.deleteCluster(r -> r.cluster("never-made")))
                .isInstanceOf(ClusterNotFoundException.class);

        Event event = lookup(LookupAttributeKey.RESOURCE_NAME, "never-made").getFirst();
        assertThat(JSON.readTree(event.cloudTrailEvent()).path("errorCode").asText())
                .isEqualTo("ClusterNotFoundException");
    }

    @Test
    void theTimeRangeBoundsTheEvents() {
        ecs.createCluster(r -> r.clusterName("timed"));
        Instant now = Instant.now();

        assertThat(all(byResource("timed").toBuilder().startTime(now.minusSeconds(3600)).endTime(now.plusSeconds(60))
                .build())).hasSize(1);
        assertThat(all(byResource("timed").toBuilder().startTime(now.minusSeconds(7200))
                .endTime(now.minusSeconds(3600)).build())).isEmpty();
        assertThatThrownBy(() -> trail.lookupEvents(r -> r.startTime(now).endTime(now.minusSeconds(1))))
                .isInstanceOf(InvalidTimeRangeException.class);
    }

    @Test
    void pagesOfAFewEventsFollowEachOther() {
        for (int i = 0; i < 7; i++) {
            int n = i;
            ecs.createCluster(r -> r.clusterName("paged-" + n));
            ecs.deleteCluster(r -> r.cluster("paged-" + n));
        }
        List<LookupEventsResponse> pages = trail.lookupEventsPaginator(r -> r.maxResults(3).lookupAttributes(
                attribute(LookupAttributeKey.EVENT_NAME, "DeleteCluster"))).stream().toList();

        List<String> deleted = pages.stream().flatMap(p -> p.events().stream())
                .flatMap(e -> e.resources().stream()).map(r -> r.resourceName()).filter(n -> n.startsWith("paged-"))
                .toList();
        assertThat(deleted).containsExactlyInAnyOrder("paged-0", "paged-1", "paged-2", "paged-3", "paged-4",
                "paged-5", "paged-6");
        assertThat(pages.size()).isGreaterThanOrEqualTo(3);
        assertThat(pages.getFirst().events()).hasSize(3);
        assertThatThrownBy(() -> trail.lookupEvents(r -> r.nextToken(pages.getFirst().nextToken())))
                .isInstanceOf(InvalidNextTokenException.class);
    }

    @Test
    void badRequestsGetCloudTrailsErrors() {
        assertThatThrownBy(() -> trail.lookupEvents(r -> r.lookupAttributes(
                attribute(LookupAttributeKey.EVENT_NAME, "CreateCluster"), attribute(LookupAttributeKey.USERNAME, "root"))))
                .isInstanceOf(InvalidLookupAttributesException.class);
        assertThatThrownBy(() -> trail.lookupEvents(r -> r.maxResults(51))).isInstanceOf(InvalidMaxResultsException.class);
        assertThatThrownBy(() -> trail.describeTrails(r -> { }))
                .isInstanceOfSatisfying(UnsupportedOperationException.class,
                        e -> assertThat(e.getMessage()).contains("DescribeTrails"));
    }

    @Test
    void aUserNeedsCloudTrailLookupEventsAndIsRecordedByName() {
        try (IamClient iam = berth.iam()) {
            iam.createUser(r -> r.userName("auditor"));
            iam.putUserPolicy(r -> r.userName("auditor").policyName("lookup").policyDocument(LOOKUP_POLICY));
            iam.createUser(r -> r.userName("builder"));
            iam.putUserPolicy(r -> r.userName("builder").policyName("ecs").policyDocument(ECS_ONLY_POLICY));
            var auditorKey = iam.createAccessKey(r -> r.userName("auditor")).accessKey();
            var builderKey = iam.createAccessKey(r -> r.userName("builder")).accessKey();
            try (CloudTrailClient auditor = cloudTrail(auditorKey.accessKeyId(), auditorKey.secretAccessKey());
                    CloudTrailClient builder = cloudTrail(builderKey.accessKeyId(), builderKey.secretAccessKey());
                    EcsClient builderEcs = berth.ecs(AwsBasicCredentials.create(builderKey.accessKeyId(),
                            builderKey.secretAccessKey()))) {
                builderEcs.createCluster(r -> r.clusterName("built-by-builder"));

                assertThatThrownBy(() -> builder.lookupEvents(r -> { }))
                        .isInstanceOfSatisfying(CloudTrailException.class, e -> {
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                            assertThat(e.getMessage()).contains("cloudtrail:LookupEvents");
                        });
                assertThat(auditor.lookupEvents(byResource("built-by-builder")).events()).singleElement()
                        .satisfies(e -> {
                            assertThat(e.username()).isEqualTo("builder");
                            assertThat(e.accessKeyId()).isEqualTo(builderKey.accessKeyId());
                        });
                assertThat(lookup(LookupAttributeKey.USERNAME, "builder")).extracting(Event::eventName)
                        .contains("CreateCluster");
            }
        }
    }

    @Test
    void anotherAccountsEventsAreInvisible() {
        AccessKey otherKey = berth.server().accessKeys().create("210987654321");
        try (EcsClient other = berth.ecs(otherKey);
                CloudTrailClient otherTrail = cloudTrail(otherKey.accessKeyId(), otherKey.secretAccessKey())) {
            other.createCluster(r -> r.clusterName("theirs"));
            ecs.createCluster(r -> r.clusterName("ours"));

            assertThat(lookup(LookupAttributeKey.RESOURCE_NAME, "theirs")).isEmpty();
            assertThat(otherTrail.lookupEvents(byResource("ours")).events()).isEmpty();
            assertThat(otherTrail.lookupEvents(byResource("theirs")).events()).hasSize(1);
        }
    }

    @Test
    void noSecretValueIsEverInTheStoredTrail() {
        List<String> secrets = new ArrayList<>();
        secrets.add("ssm-secure-" + System.nanoTime());
        berth.ssm().putParameter(r -> r.name("/audit/db-password").type(ParameterType.SECURE_STRING)
                .value(secrets.getLast()));
        secrets.add("sm-string-" + System.nanoTime());
        berth.secretsManager().createSecret(r -> r.name("audit/api").secretString(secrets.getLast()));
        secrets.add("sm-put-" + System.nanoTime());
        berth.secretsManager().putSecretValue(r -> r.secretId("audit/api").secretString(secrets.getLast()));
        secrets.add("sm-binary-" + System.nanoTime());
        berth.secretsManager().createSecret(r -> r.name("audit/bin")
                .secretBinary(SdkBytes.fromString(secrets.getLast(), StandardCharsets.UTF_8)));
        try (IamClient iam = berth.iam()) {
            iam.createUser(r -> r.userName("keyholder"));
            secrets.add(iam.createAccessKey(r -> r.userName("keyholder")).accessKey().secretAccessKey());
            secrets.add("login-" + System.nanoTime());
            try {
                iam.createLoginProfile(r -> r.userName("keyholder").password(secrets.getLast()));
            } catch (RuntimeException notSupported) {
                // Refused or not: the call is recorded, its password is not.
            }
        }

        assertThat(lookup(LookupAttributeKey.RESOURCE_NAME, "/audit/db-password")).extracting(Event::eventName)
                .containsExactly("PutParameter");
        assertThat(lookup(LookupAttributeKey.EVENT_NAME, "CreateLoginProfile")).hasSize(1);
        assertThat(lookup(LookupAttributeKey.RESOURCE_NAME, "keyholder")).extracting(Event::eventName)
                .contains("CreateUser", "CreateAccessKey");
        String stored = auditFiles();
        assertThat(stored).contains("/audit/db-password", "keyholder");
        for (String secret : secrets) {
            assertThat(stored).as("the trail's files").doesNotContain(secret);
        }
    }

    /** Every file of the audit database (with its write-ahead log), as text. */
    private static String auditFiles() {
        try (Stream<Path> files = Files.list(berth.dataDir())) {
            StringBuilder text = new StringBuilder();
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("audit.db")).toList()) {
                text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
            assertThat(text).isNotEmpty();
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CloudTrailClient cloudTrail(String accessKeyId, String secretAccessKey) {
        return RunningBerth.client(CloudTrailClient.builder(), berth.endpoint(), berth.trust(),
                AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }

    private static List<Event> lookup(LookupAttributeKey key, String value) {
        return all(LookupEventsRequest.builder().lookupAttributes(attribute(key, value)).build());
    }

    private static List<Event> all(LookupEventsRequest request) {
        return trail.lookupEventsPaginator(request).events().stream().toList();
    }

    private static LookupEventsRequest byResource(String name) {
        return LookupEventsRequest.builder().lookupAttributes(attribute(LookupAttributeKey.RESOURCE_NAME, name)).build();
    }

    private static LookupAttribute attribute(LookupAttributeKey key, String value) {
        return LookupAttribute.builder().attributeKey(key).attributeValue(value).build();
    }
}
