package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

class LogsSenderTest {

    static final LogsSender.Backoff QUICK = new LogsSender.Backoff(Duration.ofMillis(10), Duration.ofMillis(50));

    private FakeLogs logs;
    private CloudWatchLogsClient client;

    @BeforeEach
    void start() throws Exception {
        logs = new FakeLogs();
        client = client(logs);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        logs.close();
    }

    @Test
    void preparingCreatesTheGroupWhenAskedAndTheStreamAcceptingThatTheyExist() throws Exception {
        LogsSender sender = new LogsSender(client, "/ecs/web", "ecs/web/1", true, true, QUICK);

        sender.prepare();
        sender.prepare();

        assertThat(logs.groups()).containsExactly("/ecs/web");
        assertThat(logs.events("/ecs/web", "ecs/web/1")).isEmpty();
        assertThat(logs.operations()).containsExactly("CreateLogGroup", "CreateLogStream", "CreateLogGroup",
                "CreateLogStream");
    }

    @Test
    void eventsArePutIntoTheStream() throws Exception {
        LogsSender sender = new LogsSender(client, "g", "s", true, true, QUICK);
        sender.prepare();

        assertThat(sender.put(List.of(event(1, "one"), event(2, "two")))).isEqualTo(LogsSender.Outcome.SHIPPED);

        assertThat(logs.events("g", "s")).containsExactly(new FakeLogs.Event(1, "one"), new FakeLogs.Event(2, "two"));
        assertThat(logs.puts().getFirst().authorization()).contains("Credential=AKIDLOGS/")
                .contains("/logs/aws4_request");
    }

    @Test
    void aMissingStreamIsCreatedAndThePutTriedAgain() throws Exception {
        logs.createGroup("g");
        LogsSender sender = new LogsSender(client, "g", "s", false, true, QUICK);

        assertThat(sender.put(List.of(event(1, "one")))).isEqualTo(LogsSender.Outcome.SHIPPED);

        assertThat(logs.messages("g", "s")).containsExactly("one");
        assertThat(logs.operations()).containsExactly("PutLogEvents", "CreateLogStream", "PutLogEvents");
    }

    @Test
    void anOutageIsWaitedOutWithBackOff() throws Exception {
        LogsSender sender = new LogsSender(client, "g", "s", true, true, QUICK);
        sender.prepare();
        logs.down(true);

        CompletableFuture<LogsSender.Outcome> put = CompletableFuture.supplyAsync(() -> {
            try {
                return sender.put(List.of(event(1, "during the outage")));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().until(() -> logs.operations().stream().filter("PutLogEvents"::equals).count() >= 3);
        logs.down(false);

        assertThat(put.get()).isEqualTo(LogsSender.Outcome.SHIPPED);
        assertThat(logs.messages("g", "s")).containsExactly("during the outage");
    }

    @Test
    void aDeniedOrThrottledCallIsTriedAgain() throws Exception {
        LogsSender sender = new LogsSender(client, "g", "s", true, true, QUICK);
        sender.prepare();

        logs.failNext(2, 400, "AccessDeniedException");
        assertThat(sender.put(List.of(event(1, "after the role is fixed")))).isEqualTo(LogsSender.Outcome.SHIPPED);
        logs.failNext(1, 400, "ThrottlingException");
        assertThat(sender.put(List.of(event(2, "after throttling")))).isEqualTo(LogsSender.Outcome.SHIPPED);

        assertThat(logs.messages("g", "s")).containsExactly("after the role is fixed", "after throttling");
    }

    @Test
    void aBatchTheServiceRefusesIsDroppedNotRetried() throws Exception {
        LogsSender sender = new LogsSender(client, "g", "s", true, true, QUICK);
        sender.prepare();
        logs.failNext(1, 400, "InvalidParameterException");

        assertThat(sender.put(List.of(event(1, "refused")))).isEqualTo(LogsSender.Outcome.REFUSED);
        assertThat(sender.put(List.of(event(2, "next")))).isEqualTo(LogsSender.Outcome.SHIPPED);
        assertThat(logs.messages("g", "s")).containsExactly("next");
    }

    @Test
    void anInterruptStopsTheRetrying() throws Exception {
        LogsSender sender = new LogsSender(client, "g", "s", true, true, QUICK);
        logs.down(true);
        Thread.currentThread().interrupt();

        assertThatThrownBy(sender::prepare).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }

    static CloudWatchLogsClient client(FakeLogs logs) {
        return CloudWatchLogsClient.builder().region(Region.US_EAST_1).endpointOverride(logs.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOGS", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static LogEvent event(long timestamp, String message) {
        return new LogEvent(timestamp, message, message.length(), timestamp);
    }
}
