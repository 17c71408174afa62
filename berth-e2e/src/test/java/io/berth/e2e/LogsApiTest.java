package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** The CloudWatch Logs API through the real SDK v2 {@code CloudWatchLogsClient}. */
class LogsApiTest extends ApiTest {

    private static final AtomicInteger names = new AtomicInteger();
    static CloudWatchLogsClient logs;

    @BeforeAll
    static void logsClient() {
        logs = LogsClients.of(berth);
    }

    @AfterAll
    static void closeLogs() {
        logs.close();
    }

    @Test
    void aGroupIsCreatedDescribedWithItsArnsAndDeleted() {
        String group = unique("/ecs/web");
        logs.createLogGroup(r -> r.logGroupName(group).tags(java.util.Map.of("team", "blue")));

        LogGroup described = logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups().get(0);

        String arn = "arn:aws:logs:us-east-1:" + berth.accountId() + ":log-group:" + group;
        assertThat(described.logGroupName()).isEqualTo(group);
        assertThat(described.arn()).isEqualTo(arn + ":*");
        assertThat(described.logGroupArn()).isEqualTo(arn);
        assertThat(described.creationTime()).isPositive();
        assertThat(described.storedBytes()).isZero();
        assertThat(described.logGroupClassAsString()).isEqualTo("STANDARD");
        assertThat(logs.listTagsForResource(r -> r.resourceArn(arn)).tags()).containsEntry("team", "blue");

        logs.deleteLogGroup(r -> r.logGroupName(group));
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups()).isEmpty();
        assertThatThrownBy(() -> logs.deleteLogGroup(r -> r.logGroupName(group)))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).isEqualTo("The specified log group does not exist."));
    }

    @Test
    void groupsArePagedByPrefixAndFoundByAPatternInAnyCase() {
        String prefix = unique("/paged");
        for (String name : List.of("a", "b", "c", "Needle-x", "e")) {
            logs.createLogGroup(r -> r.logGroupName(prefix + "/" + name));
        }

        List<String> paged = logs.describeLogGroupsPaginator(r -> r.logGroupNamePrefix(prefix).limit(2)).logGroups()
                .stream().map(LogGroup::logGroupName).toList();
        List<String> found = logs.describeLogGroups(r -> r.logGroupNamePattern("needle")).logGroups().stream()
                .map(LogGroup::logGroupName).toList();

        assertThat(paged).containsExactly(prefix + "/Needle-x", prefix + "/a", prefix + "/b", prefix + "/c",
                prefix + "/e");
        assertThat(found).contains(prefix + "/Needle-x").allMatch(n -> n.toLowerCase().contains("needle"));
    }

    @Test
    void streamsArePagedByNameAndOrderedByLastEventTime() {
        String group = groupWithStreams("s1", "s2", "s3");
        long now = System.currentTimeMillis();
        put(group, "s2", now - 3000, "old");
        put(group, "s3", now - 1000, "newest");
        put(group, "s1", now - 2000, "middle");

        List<String> byName = logs.describeLogStreamsPaginator(r -> r.logGroupName(group).limit(1)).logStreams()
                .stream().map(LogStream::logStreamName).toList();
        List<LogStream> byTime = logs.describeLogStreams(r -> r.logGroupName(group)
                .orderBy(OrderBy.LAST_EVENT_TIME).descending(true)).logStreams();

        assertThat(byName).containsExactly("s1", "s2", "s3");
        assertThat(byTime).extracting(LogStream::logStreamName).containsExactly("s3", "s1", "s2");
        assertThat(byTime.get(0).lastEventTimestamp()).isEqualTo(now - 1000);
        assertThat(byTime.get(0).arn()).isEqualTo("arn:aws:logs:us-east-1:" + berth.accountId() + ":log-group:"
                + group + ":log-stream:s3");
        assertThatThrownBy(() -> logs.describeLogStreams(r -> r.logGroupName(group).logStreamNamePrefix("s")
                .orderBy(OrderBy.LAST_EVENT_TIME))).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void getLogEventsReadsBothWaysAndItsTokensRepeatAtTheEnd() {
        String group = groupWithStreams("app");
        long now = System.currentTimeMillis();
        List<InputLogEvent> events = IntStream.range(0, 25)
                .mapToObj(i -> event(now - 25_000 + i * 1000, "line " + i)).toList();
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName("app").logEvents(events));

        GetLogEventsResponse tail = logs.getLogEvents(r -> r.logGroupName(group).logStreamName("app").limit(10));
        assertThat(messages(tail.events())).containsExactlyElementsOf(lines(15, 25));
        assertThat(tail.nextForwardToken()).matches("f/\\d{56}/s");
        assertThat(tail.nextBackwardToken()).matches("b/\\d{56}/s");

        GetLogEventsResponse earlier = logs.getLogEvents(r -> r.logGroupName(group).logStreamName("app").limit(10)
                .nextToken(tail.nextBackwardToken()));
        assertThat(messages(earlier.events())).containsExactlyElementsOf(lines(5, 15));

        GetLogEventsResponse end = logs.getLogEvents(r -> r.logGroupName(group).logStreamName("app")
                .nextToken(tail.nextForwardToken()));
        assertThat(end.events()).isEmpty();
        assertThat(end.nextForwardToken()).isEqualTo(tail.nextForwardToken());

        List<String> fromHead = new ArrayList<>();
        String token = null;
        while (true) {
            String asked = token;
            GetLogEventsResponse page = logs.getLogEvents(r -> r.logGroupName(group).logStreamName("app")
                    .startFromHead(true).limit(7).nextToken(asked));
            fromHead.addAll(messages(page.events()));
            if (page.nextForwardToken().equals(asked)) {
                break;
            }
            token = page.nextForwardToken();
        }
        assertThat(fromHead).containsExactlyElementsOf(lines(0, 25));

        GetLogEventsResponse window = logs.getLogEvents(r -> r.logGroupName(group).logStreamName("app")
                .startFromHead(true).startTime(now - 20_000).endTime(now - 17_000));
        assertThat(messages(window.events())).containsExactly("line 5", "line 6", "line 7");
    }

    @Test
    void filterFindsPatternsAcrossStreamsPageByPage() {
        String group = groupWithStreams("web", "db");
        long now = System.currentTimeMillis();
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName("web").logEvents(IntStream.range(0, 30)
                .mapToObj(i -> event(now - 60_000 + i * 2, i % 3 == 0 ? "GET /x 500 ERROR" : "GET /x 200 ok"))
                .toList()));
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName("db").logEvents(
                event(now - 59_999, "{\"level\":\"error\",\"ms\":250}"),
                event(now - 59_998, "{\"level\":\"error\",\"ms\":50}")));

        List<FilteredLogEvent> errors = new ArrayList<>();
        logs.filterLogEventsPaginator(r -> r.logGroupName(group).filterPattern("ERROR").limit(4)).events()
                .forEach(errors::add);
        FilterLogEventsResponse json = logs.filterLogEvents(r -> r.logGroupName(group)
                .filterPattern("{ $.level = \"error\" && $.ms > 100 }"));
        FilterLogEventsResponse onlyWeb = logs.filterLogEvents(r -> r.logGroupName(group).logStreamNames("web")
                .filterPattern("?500 ?error -ok"));

        assertThat(errors).hasSize(10).allMatch(e -> e.logStreamName().equals("web") && e.message().contains("ERROR"));
        assertThat(errors).extracting(FilteredLogEvent::timestamp).isSorted();
        assertThat(json.events()).singleElement().satisfies(e -> {
            assertThat(e.logStreamName()).isEqualTo("db");
            assertThat(e.message()).contains("250");
            assertThat(e.eventId()).matches("\\d{56}");
        });
        assertThat(onlyWeb.events()).hasSize(10);
        assertThat(onlyWeb.nextToken()).isNull();
    }

    @Test
    void eventsOutsideTheAcceptedTimesComeBackAsRejected() {
        String group = groupWithStreams("s");
        long now = System.currentTimeMillis();
        logs.putRetentionPolicy(r -> r.logGroupName(group).retentionInDays(1));

        long day = Duration.ofDays(1).toMillis();
        PutLogEventsResponse old = logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s").logEvents(
                event(now - 15 * day, "too old"), event(now - 15 * day + 1, "too old too")));
        PutLogEventsResponse expired = logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s").logEvents(
                event(now - 3 * day, "expired"), event(now - 2 * day - 1, "expired too"), event(now - 2 * day, "x")));
        PutLogEventsResponse recent = logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s").logEvents(
                event(now, "kept"), event(now + Duration.ofHours(3).toMillis(), "too new")));

        assertThat(old.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(1);
        assertThat(old.rejectedLogEventsInfo().expiredLogEventEndIndex()).isEqualTo(1);
        assertThat(expired.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isNull();
        assertThat(expired.rejectedLogEventsInfo().expiredLogEventEndIndex()).isEqualTo(2);
        assertThat(recent.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isEqualTo(1);
        assertThat(recent.nextSequenceToken()).matches("\\d{56}");
        assertThat(messages(logs.getLogEvents(r -> r.logGroupName(group).logStreamName("s")).events()))
                .containsExactly("kept");
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups().get(0).retentionInDays())
                .isEqualTo(1);
        logs.deleteRetentionPolicy(r -> r.logGroupName(group));
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups().get(0).retentionInDays())
                .isNull();
    }

    @Test
    void tagsAreSetListedAndRemovedByArnAndByName() {
        String group = groupWithStreams();
        String arn = "arn:aws:logs:us-east-1:" + berth.accountId() + ":log-group:" + group;

        logs.tagResource(r -> r.resourceArn(arn).tags(java.util.Map.of("env", "prod", "team", "red")));
        logs.untagResource(r -> r.resourceArn(arn).tagKeys("team"));
        logs.tagLogGroup(r -> r.logGroupName(group).tags(java.util.Map.of("tier", "web")));

        assertThat(logs.listTagsLogGroup(r -> r.logGroupName(group)).tags())
                .containsOnly(java.util.Map.entry("env", "prod"), java.util.Map.entry("tier", "web"));
        assertThatThrownBy(() -> logs.listTagsForResource(r -> r.resourceArn(arn + "-missing")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void missingAndDuplicateResourcesAreRefusedWithLogsErrors() {
        String group = groupWithStreams("s");

        assertThatThrownBy(() -> logs.createLogGroup(r -> r.logGroupName(group)))
                .isInstanceOf(ResourceAlreadyExistsException.class);
        assertThatThrownBy(() -> logs.createLogStream(r -> r.logGroupName(group).logStreamName("s")))
                .isInstanceOf(ResourceAlreadyExistsException.class);
        assertThatThrownBy(() -> logs.putLogEvents(r -> r.logGroupName(group).logStreamName("none")
                .logEvents(event(System.currentTimeMillis(), "x"))))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).isEqualTo("The specified log stream does not exist."));
        assertThatThrownBy(() -> logs.getLogEvents(r -> r.logGroupName(group + "-none").logStreamName("s")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.createLogGroup(r -> r.logGroupName("bad name")))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).contains("'logGroupName'"));
        assertThatThrownBy(() -> logs.createLogStream(r -> r.logGroupName(group).logStreamName("a:b")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.putRetentionPolicy(r -> r.logGroupName(group).retentionInDays(2)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.getLogEvents(r -> r.logGroupName(group).logStreamName("s").nextToken("f/bad")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.filterLogEvents(r -> r.logGroupName(group).filterPattern("{ $.a = ")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void batchesBeyondAwsLimitsAreRefused() {
        String group = groupWithStreams("s");
        long now = System.currentTimeMillis();
        String big = "x".repeat(100_000);

        assertThatThrownBy(() -> logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s")
                .logEvents(IntStream.range(0, 11).mapToObj(i -> event(now, big)).toList())))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).startsWith("Upload too large: "));
        assertThatThrownBy(() -> logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s")
                .logEvents(IntStream.range(0, 10_001).mapToObj(i -> event(now, "m")).toList())))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).contains("less than or equal to 10000"));
        assertThatThrownBy(() -> logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s")
                .logEvents(event(now, "later"), event(now - 1, "earlier"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s")
                .logEvents(event(now - Duration.ofHours(25).toMillis(), "a"), event(now, "b"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.putLogEvents(r -> r.logGroupName(group).logStreamName("s")))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(logs.getLogEvents(r -> r.logGroupName(group).logStreamName("s")).events()).isEmpty();
    }

    @Test
    void anUnknownLogsOperationIsAnAwsError() {
        assertThatThrownBy(() -> logs.describeMetricFilters(r -> r.logGroupName("x")))
                .isInstanceOfSatisfying(CloudWatchLogsException.class, e -> assertThat(
                        e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException"));
    }

    static String unique(String prefix) {
        return prefix + "-" + names.incrementAndGet();
    }

    private static String groupWithStreams(String... streams) {
        String group = unique("/test/group");
        logs.createLogGroup(r -> r.logGroupName(group));
        for (String stream : streams) {
            logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
        }
        return group;
    }

    private static void put(String group, String stream, long timestamp, String message) {
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(event(timestamp, message)));
    }

    static InputLogEvent event(long timestamp, String message) {
        return InputLogEvent.builder().timestamp(timestamp).message(message).build();
    }

    private static List<String> messages(List<?> events) {
        return events.stream().map(e -> e instanceof OutputLogEvent o ? o.message() : ((FilteredLogEvent) e).message())
                .toList();
    }

    private static List<String> lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "line " + i).toList();
    }
}
