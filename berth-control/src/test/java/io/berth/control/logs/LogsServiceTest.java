package io.berth.control.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Caller;
import io.berth.control.OperationsByName;
import io.berth.control.Scope;
import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.Decision;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.TagLogGroupRequest;

class LogsServiceTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final long T = NOW.toEpochMilli();
    private static final Scope SCOPE = new Scope("aws", "123456789012", "us-east-1");
    private static final Caller ROOT = new Caller(SCOPE, "arn:aws:iam::123456789012:root");
    private static final Caller ALICE = new Caller(SCOPE, "arn:aws:iam::123456789012:user/alice");

    private final MemoryLogStore store = new MemoryLogStore();
    private final List<AccessRequest> asked = new ArrayList<>();
    /** Alice may do what is on a resource ending with one of these; root everything. */
    private final List<String> aliceMay = new ArrayList<>();
    private final Authorizer authorizer = (caller, request) -> {
        asked.add(request);
        if (caller == ROOT || aliceMay.stream().anyMatch(request.resource()::endsWith)) {
            return Decision.ALLOW;
        }
        return Decision.IMPLICIT_DENY;
    };
    private final OperationsByName operations = new OperationsByName();

    LogsServiceTest() {
        new LogsService(store, authorizer, Clock.fixed(NOW, ZoneOffset.UTC)).addTo(operations);
    }

    @Test
    void eventsTooOldExpiredOrTooNewAreLeftOutAndReported() {
        group("g", "s");
        call("PutRetentionPolicy", PutRetentionPolicyRequest.builder().logGroupName("g").retentionInDays(3).build());

        PutLogEventsResponse old = put("g", "s", event(T - Duration.ofDays(15).toMillis(), "a"),
                event(T - Duration.ofDays(14).toMillis() - 1, "b"));
        PutLogEventsResponse expired = put("g", "s", event(T - Duration.ofDays(3).toMillis() - 1, "expired"),
                event(T - Duration.ofDays(3).toMillis() + 1, "kept early"));
        PutLogEventsResponse recent = put("g", "s", event(T, "kept"),
                event(T + Duration.ofHours(2).toMillis(), "at the limit"),
                event(T + Duration.ofHours(2).toMillis() + 1, "too new"));

        assertThat(old.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(1);
        assertThat(old.rejectedLogEventsInfo().expiredLogEventEndIndex()).isEqualTo(1);
        assertThat(old.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isNull();
        assertThat(expired.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isNull();
        assertThat(expired.rejectedLogEventsInfo().expiredLogEventEndIndex()).isZero();
        assertThat(recent.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isEqualTo(2);
        assertThat(recent.rejectedLogEventsInfo().expiredLogEventEndIndex()).isNull();
        assertThat(store.eventCount()).isEqualTo(3);
        assertThat(put("g", "s", event(T, "fine")).rejectedLogEventsInfo()).isNull();
    }

    @Test
    void theSequenceTokenIsAcceptedWhateverItSaysAndAdvances() {
        group("g", "s");
        PutLogEventsResponse first = put("g", "s", event(T, "a"));

        PutLogEventsResponse second = call("PutLogEvents", PutLogEventsRequest.builder().logGroupName("g")
                .logStreamName("s").sequenceToken("stale").logEvents(event(T, "b")).build());

        assertThat(second.nextSequenceToken()).matches("\\d{56}").isGreaterThan(first.nextSequenceToken());
    }

    @Test
    void anEmptyStreamAnswersTokensThatRepeat() {
        group("g", "s");

        GetLogEventsResponse tail = get(GetLogEventsRequest.builder().logGroupName("g").logStreamName("s"));
        GetLogEventsResponse again = get(GetLogEventsRequest.builder().logGroupName("g").logStreamName("s")
                .nextToken(tail.nextBackwardToken()));
        GetLogEventsResponse head = get(GetLogEventsRequest.builder().logGroupName("g").logStreamName("s")
                .startFromHead(true));
        GetLogEventsResponse forward = get(GetLogEventsRequest.builder().logGroupName("g").logStreamName("s")
                .nextToken(head.nextForwardToken()));

        assertThat(tail.events()).isEmpty();
        assertThat(again.nextBackwardToken()).isEqualTo(tail.nextBackwardToken());
        assertThat(forward.nextForwardToken()).isEqualTo(head.nextForwardToken());
    }

    @Test
    void eventsAddedAfterTheEndAreReadWithTheRepeatedForwardToken() {
        group("g", "s");
        put("g", "s", event(T - 10, "first"));
        GetLogEventsResponse read = get(GetLogEventsRequest.builder().logGroupName("g").logStreamName("s")
                .startFromHead(true));
        GetLogEventsResponse end = get(GetLogEventsRequest.builder().logGroupName("g").logStreamName("s")
                .nextToken(read.nextForwardToken()));
        put("g", "s", event(T, "second"));

        GetLogEventsResponse more = get(GetLogEventsRequest.builder().logGroupName("g").logStreamName("s")
                .nextToken(end.nextForwardToken()));

        assertThat(end.nextForwardToken()).isEqualTo(read.nextForwardToken());
        assertThat(more.events()).extracting(OutputLogEvent::message).containsExactly("second");
    }

    @Test
    void aBackwardPageBeforeTheFirstEventRepeatsItsTokenAndLeadsForwardAgain() {
        group("g", "s");
        put("g", "s", event(T - 2, "a"), event(T - 1, "b"));
        GetLogEventsResponse tail = get(GetLogEventsRequest.builder().logGroupName("g").logStreamName("s"));

        GetLogEventsResponse before = get(GetLogEventsRequest.builder().logGroupName("g").logStreamName("s")
                .nextToken(tail.nextBackwardToken()));
        GetLogEventsResponse forwardAgain = get(GetLogEventsRequest.builder().logGroupName("g").logStreamName("s")
                .nextToken(before.nextForwardToken()));

        assertThat(before.events()).isEmpty();
        assertThat(before.nextBackwardToken()).isEqualTo(tail.nextBackwardToken());
        assertThat(forwardAgain.events()).extracting(OutputLogEvent::message).containsExactly("a", "b");
    }

    @Test
    void anAnswerHoldsAtMostOneMebibyteOfEvents() {
        group("g", "s");
        String big = "x".repeat(200_000);
        for (int i = 0; i < 6; i++) {
            put("g", "s", event(T - 10 + i, big + i));
        }

        GetLogEventsResponse tail = get(GetLogEventsRequest.builder().logGroupName("g").logStreamName("s"));

        assertThat(tail.events()).hasSize(5);
        assertThat(tail.events().get(4).message()).endsWith("5");
    }

    @Test
    void aForgedTokenIsInvalid() {
        group("g", "s");
        for (String token : List.of("f/x", "b/" + "1".repeat(56), "f/" + "9".repeat(56) + "/s", "")) {
            assertError(() -> get(GetLogEventsRequest.builder().logGroupName("g").logStreamName("s")
                    .nextToken(token)), "InvalidParameterException");
        }
        assertError(() -> call("DescribeLogGroups", DescribeLogGroupsRequest.builder().nextToken("%%%").build()),
                "InvalidParameterException");
    }

    @Test
    void groupsFoundByPatternArePagedOverTheNamesThatMatch() {
        for (int i = 0; i < 7; i++) {
            group("app-" + i + (i % 2 == 0 ? "-Web" : "-db"));
        }
        List<String> found = new ArrayList<>();
        String token = null;
        do {
            DescribeLogGroupsResponse page = call("DescribeLogGroups", DescribeLogGroupsRequest.builder()
                    .logGroupNamePattern("web").limit(2).nextToken(token).build());
            page.logGroups().stream().map(LogGroup::logGroupName).forEach(found::add);
            token = page.nextToken();
        } while (token != null);

        assertThat(found).containsExactly("app-0-Web", "app-2-Web", "app-4-Web", "app-6-Web");
        assertError(() -> call("DescribeLogGroups", DescribeLogGroupsRequest.builder().logGroupNamePattern("a")
                .logGroupNamePrefix("a").build()), "InvalidParameterException");
        assertError(() -> call("DescribeLogGroups", DescribeLogGroupsRequest.builder().limit(51).build()),
                "InvalidParameterException");
    }

    @Test
    void filterPagesThroughMatchesAndSkipsDeletedStreams() {
        group("g", "a", "b", "gone");
        put("g", "a", IntStream.range(0, 10).mapToObj(i -> event(T - 100 + i * 10, "hit a" + i)).toArray(InputLogEvent[]::new));
        put("g", "b", IntStream.range(0, 10).mapToObj(i -> event(T - 95 + i * 10, i % 2 == 0 ? "hit b" : "miss"))
                .toArray(InputLogEvent[]::new));
        put("g", "gone", event(T - 50, "hit gone"));
        call("DeleteLogStream", DeleteLogStreamRequest.builder().logGroupName("g").logStreamName("gone").build());

        List<FilteredLogEvent> found = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            FilterLogEventsResponse page = call("FilterLogEvents", FilterLogEventsRequest.builder().logGroupName("g")
                    .filterPattern("hit").limit(4).nextToken(token).build());
            found.addAll(page.events());
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertThat(found).hasSize(15).extracting(FilteredLogEvent::timestamp).isSorted();
        assertThat(found).noneMatch(e -> e.message().contains("gone"));
        assertThat(pages).isGreaterThanOrEqualTo(4);
        FilterLogEventsResponse window = call("FilterLogEvents", FilterLogEventsRequest.builder().logGroupName("g")
                .logStreamNamePrefix("a").startTime(T - 80).endTime(T - 60).build());
        assertThat(window.events()).extracting(FilteredLogEvent::message).containsExactly("hit a2", "hit a3", "hit a4");
    }

    @Test
    void aGroupIsNamedByItsArnOnlyInTheCallersAccountAndRegion() {
        group("g", "s");
        put("g", "s", event(T, "m"));
        String arn = "arn:aws:logs:us-east-1:123456789012:log-group:g";

        assertThat(get(GetLogEventsRequest.builder().logGroupIdentifier(arn + ":*").logStreamName("s")).events())
                .hasSize(1);
        assertError(() -> get(GetLogEventsRequest.builder().logGroupIdentifier(
                "arn:aws:logs:us-east-1:999999999999:log-group:g").logStreamName("s")), "ResourceNotFoundException");
        assertError(() -> get(GetLogEventsRequest.builder().logGroupIdentifier(arn).logGroupName("g")
                .logStreamName("s")), "InvalidParameterException");
    }

    @Test
    void aUserIsDeniedWithTheResourceArnAndAGroupStatementOnItsStreamsAllowsGroupActions() {
        group("g", "s");

        assertThatThrownBy(() -> operations.call("GetLogEvents", ALICE, GetLogEventsRequest.builder()
                .logGroupName("g").logStreamName("s").build()))
                .isInstanceOfSatisfying(EcsException.class, e -> {
                    assertThat(e.code()).isEqualTo("AccessDeniedException");
                    assertThat(e.getMessage()).isEqualTo("User: arn:aws:iam::123456789012:user/alice is not authorized "
                            + "to perform: logs:GetLogEvents on resource: arn:aws:logs:us-east-1:123456789012:"
                            + "log-group:g:log-stream:s because no identity-based policy allows the logs:GetLogEvents "
                            + "action");
                });
        aliceMay.add(":log-group:g:log-stream:");
        operations.call("PutRetentionPolicy", ALICE, PutRetentionPolicyRequest.builder().logGroupName("g")
                .retentionInDays(7).build());
        assertThat(asked).extracting(AccessRequest::action).contains("logs:GetLogEvents", "logs:PutRetentionPolicy");
    }

    @Test
    void taggingSendsTheRequestTagsToTheAuthorizerAndKeepsToFiftyTags() {
        group("g");
        Map<String, String> many = new HashMap<>();
        IntStream.range(0, 50).forEach(i -> many.put("k" + i, "v"));
        call("TagLogGroup", TagLogGroupRequest.builder().logGroupName("g").tags(many).build());

        assertError(() -> call("TagLogGroup", TagLogGroupRequest.builder().logGroupName("g")
                .tags(Map.of("one-more", "v")).build()), "TooManyTagsException");
        assertError(() -> call("TagLogGroup", TagLogGroupRequest.builder().logGroupName("g")
                .tags(Map.of("bad*key", "v")).build()), "InvalidParameterException");
        assertThat(asked.get(asked.size() - 1).context()).containsKey("aws:TagKeys");
    }

    @Test
    void theRetentionSweepRemovesWhatIsOlderThanTheRetention() {
        group("g", "s");
        put("g", "s", event(T - Duration.ofDays(2).toMillis(), "old"));
        put("g", "s", event(T, "new"));
        call("PutRetentionPolicy", PutRetentionPolicyRequest.builder().logGroupName("g").retentionInDays(1).build());

        long removed = new RetentionSweep(store, Clock.fixed(NOW, ZoneOffset.UTC)).sweep();

        assertThat(store.eventCount()).isEqualTo(1);
        assertThat(removed).isPositive();
    }

    private void group(String name, String... streams) {
        call("CreateLogGroup", CreateLogGroupRequest.builder().logGroupName(name).build());
        for (String stream : streams) {
            call("CreateLogStream", CreateLogStreamRequest.builder().logGroupName(name).logStreamName(stream).build());
        }
    }

    private PutLogEventsResponse put(String group, String stream, InputLogEvent... events) {
        return call("PutLogEvents", PutLogEventsRequest.builder().logGroupName(group).logStreamName(stream)
                .logEvents(events).build());
    }

    private GetLogEventsResponse get(GetLogEventsRequest.Builder request) {
        return call("GetLogEvents", request.build());
    }

    private static InputLogEvent event(long timestamp, String message) {
        return InputLogEvent.builder().timestamp(timestamp).message(message).build();
    }

    private <R extends SdkResponse> R call(String operation, SdkRequest request) {
        return operations.call(operation, ROOT, request);
    }

    private static void assertError(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(EcsException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}
