package io.berth.control.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Caller;
import io.berth.control.OperationsByName;
import io.berth.control.Scope;
import io.berth.control.TestClock;
import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Decision;
import io.berth.model.EcsException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

class LookupEventsTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final Scope SCOPE = new Scope("aws", "123456789012", "us-east-1");
    private static final Caller ROOT = new Caller(SCOPE, "arn:aws:iam::123456789012:root");
    private static final Caller ALICE = new Caller(SCOPE, "arn:aws:iam::123456789012:user/alice");

    private final MemoryAuditStore store = new MemoryAuditStore();
    private final TestClock clock = new TestClock(NOW);
    private final List<AccessRequest> asked = new ArrayList<>();
    private boolean aliceMay;
    private final OperationsByName cloudTrail = new OperationsByName();

    LookupEventsTest() {
        new CloudTrailService(store, (caller, request) -> {
            asked.add(request);
            return aliceMay ? Decision.ALLOW : Decision.IMPLICIT_DENY;
        }, clock).addTo(cloudTrail);
    }

    @Test
    void eventsComeNewestFirstAsCloudTrailAnswersThem() {
        record(SCOPE, NOW.minusSeconds(60), "CreateCluster");
        record(SCOPE, NOW.minusSeconds(30), "RunTask");
        record(new Scope("aws", "123456789012", "eu-west-1"), NOW.minusSeconds(10), "DeleteCluster");

        LookupEventsResponse answer = lookup(ROOT, LookupEventsRequest.builder().build());

        assertThat(answer.events()).extracting(Event::eventName).containsExactly("RunTask", "CreateCluster");
        Event event = answer.events().getFirst();
        assertThat(event.readOnly()).isEqualTo("false");
        assertThat(event.eventSource()).isEqualTo("ecs.amazonaws.com");
        assertThat(event.username()).isEqualTo("root");
        assertThat(event.eventTime()).isEqualTo(NOW.minusSeconds(30));
        assertThat(event.resources()).singleElement().satisfies(r -> {
            assertThat(r.resourceType()).isEqualTo("AWS::ECS::Cluster");
            assertThat(r.resourceName()).isEqualTo("prod");
        });
        assertThat(event.cloudTrailEvent()).contains("\"eventName\":\"RunTask\"");
        assertThat(answer.nextToken()).isNull();
    }

    @Test
    void anAttributeSelectsTheEvents() {
        record(SCOPE, NOW.minusSeconds(60), "CreateCluster");
        record(SCOPE, NOW.minusSeconds(30), "RunTask");

        assertThat(lookup(ROOT, by(LookupAttributeKey.EVENT_NAME, "CreateCluster")).events())
                .extracting(Event::eventName).containsExactly("CreateCluster");
    }

    @Test
    void theDefaultRangeIsTheLast90DaysAndAGivenOneIsHeldTo() {
        record(SCOPE, NOW.minus(Duration.ofDays(91)), "Ancient");
        record(SCOPE, NOW.minusSeconds(3600), "HourAgo");
        record(SCOPE, NOW.minusSeconds(60), "MinuteAgo");

        assertThat(names(lookup(ROOT, LookupEventsRequest.builder().build()))).containsExactly("MinuteAgo", "HourAgo");
        assertThat(names(lookup(ROOT, LookupEventsRequest.builder().startTime(NOW.minusSeconds(7200))
                .endTime(NOW.minusSeconds(600)).build()))).containsExactly("HourAgo");
        assertThat(names(lookup(ROOT, LookupEventsRequest.builder().startTime(NOW.minus(Duration.ofDays(100)))
                .endTime(NOW.minus(Duration.ofDays(90))).build()))).containsExactly("Ancient");
    }

    @Test
    void pagesFollowTheirTokensToTheEnd() {
        for (int i = 0; i < 7; i++) {
            record(SCOPE, NOW.minusSeconds(100 - i), "Op" + i);
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            LookupEventsResponse page = lookup(ROOT, LookupEventsRequest.builder().maxResults(3).nextToken(token)
                    .build());
            seen.addAll(names(page));
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("Op6", "Op5", "Op4", "Op3", "Op2", "Op1", "Op0");
    }

    @Test
    void aTokenIsRefusedWithOtherParametersOrWhenItIsNotOne() {
        for (int i = 0; i < 3; i++) {
            record(SCOPE, NOW.minusSeconds(100 - i), "Op" + i);
        }
        String token = lookup(ROOT, LookupEventsRequest.builder().maxResults(1).build()).nextToken();

        assertThatThrownBy(() -> lookup(ROOT, by(LookupAttributeKey.EVENT_NAME, "Op1").toBuilder().nextToken(token)
                .build())).satisfies(e -> assertCode(e, "InvalidNextTokenException"));
        assertThatThrownBy(() -> lookup(ROOT, LookupEventsRequest.builder().nextToken("not a token!").build()))
                .satisfies(e -> assertCode(e, "InvalidNextTokenException"));
        assertThatThrownBy(() -> lookup(ROOT, LookupEventsRequest.builder().nextToken("MTox").build()))
                .satisfies(e -> assertCode(e, "InvalidNextTokenException"));
    }

    @Test
    void badInputGetsCloudTrailsErrors() {
        assertThatThrownBy(() -> lookup(ROOT, LookupEventsRequest.builder().lookupAttributes(
                attribute(LookupAttributeKey.EVENT_NAME, "A"), attribute(LookupAttributeKey.USERNAME, "b")).build()))
                .satisfies(e -> assertCode(e, "InvalidLookupAttributesException"));
        assertThatThrownBy(() -> lookup(ROOT, LookupEventsRequest.builder().lookupAttributes(LookupAttribute.builder()
                .attributeKey("Colour").attributeValue("red").build()).build()))
                .satisfies(e -> assertCode(e, "InvalidLookupAttributesException"));
        assertThatThrownBy(() -> lookup(ROOT, by(LookupAttributeKey.EVENT_NAME, "")))
                .satisfies(e -> assertCode(e, "InvalidLookupAttributesException"));
        assertThatThrownBy(() -> lookup(ROOT, by(LookupAttributeKey.EVENT_NAME, "x".repeat(2001))))
                .satisfies(e -> assertCode(e, "InvalidLookupAttributesException"));
        assertThatThrownBy(() -> lookup(ROOT, LookupEventsRequest.builder().startTime(NOW).endTime(NOW.minusSeconds(1))
                .build())).satisfies(e -> assertCode(e, "InvalidTimeRangeException"));
        assertThatThrownBy(() -> lookup(ROOT, LookupEventsRequest.builder().endTime(Instant.MAX).build()))
                .satisfies(e -> assertCode(e, "InvalidTimeRangeException"));
        for (int max : new int[] {0, 51, -1}) {
            assertThatThrownBy(() -> lookup(ROOT, LookupEventsRequest.builder().maxResults(max).build()))
                    .satisfies(e -> assertCode(e, "InvalidMaxResultsException"));
        }
        assertThatThrownBy(() -> lookup(ROOT, LookupEventsRequest.builder().eventCategory("management").build()))
                .satisfies(e -> assertCode(e, "InvalidEventCategoryException"));
    }

    @Test
    void insightsEventsAreNeverMadeSoNoneIsFound() {
        record(SCOPE, NOW.minusSeconds(60), "CreateCluster");

        assertThat(lookup(ROOT, LookupEventsRequest.builder().eventCategory("insight").build()).events()).isEmpty();
    }

    @Test
    void aUserNeedsCloudTrailLookupEventsAndRootAlwaysMay() {
        assertThatThrownBy(() -> lookup(ALICE, LookupEventsRequest.builder().build()))
                .satisfies(e -> assertCode(e, "AccessDeniedException"))
                .hasMessageContaining("cloudtrail:LookupEvents");
        assertThat(asked).extracting(AccessRequest::action, AccessRequest::resource)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cloudtrail:LookupEvents", "*"));

        aliceMay = true;
        assertThat(lookup(ALICE, LookupEventsRequest.builder().build()).events()).isEmpty();
    }

    @Test
    void otherOperationsAreNotSupported() {
        EcsException error = CloudTrailService.unsupported("CreateTrail");

        assertThat(error.code()).isEqualTo("UnsupportedOperationException");
        assertThat(error.getMessage()).contains("CreateTrail", "LookupEvents");
    }

    private LookupEventsResponse lookup(Caller caller, LookupEventsRequest request) {
        return cloudTrail.call("LookupEvents", caller, request);
    }

    private void record(Scope scope, Instant time, String name) {
        store.append(AuditTrail.recordOf(new AuditedCall(time, scope, ROOT.principalArn(), "AKIAROOT", "127.0.0.1",
                "test", "ecs", name, UUID.randomUUID().toString(), "{\"cluster\":\"prod\"}".getBytes(), Map.of(), null),
                false));
    }

    private static LookupEventsRequest by(LookupAttributeKey key, String value) {
        return LookupEventsRequest.builder().lookupAttributes(attribute(key, value)).build();
    }

    private static LookupAttribute attribute(LookupAttributeKey key, String value) {
        return LookupAttribute.builder().attributeKey(key).attributeValue(value).build();
    }

    private static List<String> names(LookupEventsResponse response) {
        return response.events().stream().map(Event::eventName).toList();
    }

    private static void assertCode(Throwable error, String code) {
        assertThat(error).isInstanceOf(EcsException.class);
        assertThat(((EcsException) error).code()).isEqualTo(code);
    }
}
