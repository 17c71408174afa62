package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class ContainerLogShipperTest {

    private static final String CONTAINER = "0123456789abcdef0123456789abcdef";
    private static final String TASK = "arn:aws:ecs:us-east-1:123456789012:task/default/feedface";
    private static final String STREAM = "ecs/web/feedface";

    private final ScriptedLog log = new ScriptedLog();
    private final ShippedPositions positions = ShippedPositions.inMemory();
    private FakeLogs logs;
    private LogShipping shipping;

    @BeforeEach
    void start() throws Exception {
        logs = new FakeLogs();
        shipping = new LogShipping(log, positions, logs.endpoint(), "us-east-1", LogsSenderTest.QUICK);
    }

    @AfterEach
    void stop() throws Exception {
        shipping.close();
        logs.close();
    }

    @Test
    void everyLineArrivesInOrderAndTheShipperFinishesWhenTheContainerStops() throws Exception {
        ContainerLogShipper shipper = ship(options(AwslogsOptions.Mode.BLOCKING, 0));
        lines(1, 100).forEach(log::write);
        log.exit();

        shipper.finished().get();

        assertThat(logs.messages("/ecs/web", STREAM)).isEqualTo(lines(1, 100));
        assertThat(positions.get(CONTAINER)).hasValueSatisfying(p -> assertThat(p.finished()).isTrue());
        assertThat(shipping.shipper(CONTAINER)).isEmpty();
        assertThat(shipper.logStream()).isEqualTo(STREAM);
    }

    @Test
    void eventsWaitAtMostTheFlushIntervalWhileTheContainerRuns() {
        ship(options(AwslogsOptions.Mode.BLOCKING, 0));
        log.write("first");

        await().until(() -> logs.messages("/ecs/web", STREAM).equals(List.of("first")));
    }

    @Test
    void aMultilineEventGoesOutOnceNoLineHasJoinedItForTheFlushInterval() {
        AwslogsOptions multiline = new AwslogsOptions("/ecs/web", null, null, "ecs", null, true, true, null,
                "^START", AwslogsOptions.Mode.BLOCKING, 0, Duration.ofMillis(100));
        ship(multiline);
        log.write("START");
        log.write("  continued");

        await().until(() -> logs.messages("/ecs/web", STREAM).equals(List.of("START\n  continued\n")));
    }

    @Test
    void nonBlockingModeDropsWhatTheBufferCannotHoldAndCountsIt() throws Exception {
        logs.down(true);
        ContainerLogShipper shipper = ship(options(AwslogsOptions.Mode.NON_BLOCKING, 200));
        lines(1, 50).forEach(log::write);
        await().until(() -> shipper.droppedEvents() > 0);
        logs.down(false);
        log.exit();

        shipper.finished().get();

        List<String> received = logs.messages("/ecs/web", STREAM);
        assertThat(received.size() + shipper.droppedEvents()).isEqualTo(50);
        assertThat(lines(1, 50)).containsSubsequence(received);
    }

    @Test
    void blockingModeHoldsTheReaderBackThroughAnOutageAndLosesNothing() throws Exception {
        logs.down(true);
        ContainerLogShipper shipper = ship(options(AwslogsOptions.Mode.BLOCKING, 0));
        lines(1, 300).forEach(log::write);
        await().until(() -> logs.operations().size() >= 5);
        logs.down(false);
        log.exit();

        shipper.finished().get();

        assertThat(logs.messages("/ecs/web", STREAM)).isEqualTo(lines(1, 300));
        assertThat(shipper.droppedEvents()).isZero();
    }

    @Test
    void aBrokenLogStreamIsFollowedAgainFromWhereItStopped() throws Exception {
        ContainerLogShipper shipper = ship(options(AwslogsOptions.Mode.BLOCKING, 0));
        lines(1, 10).forEach(log::write);
        await().until(() -> logs.messages("/ecs/web", STREAM).size() == 10);
        log.breakStreams();
        await().until(() -> log.follows() >= 2);
        lines(11, 20).forEach(log::write);
        log.exit();

        shipper.finished().get();

        assertThat(logs.messages("/ecs/web", STREAM)).isEqualTo(lines(1, 20));
    }

    @Test
    void aShipperStartedAgainResumesFromTheRecordedPosition() throws Exception {
        ContainerLogShipper first = ship(options(AwslogsOptions.Mode.BLOCKING, 0));
        lines(1, 10).forEach(log::write);
        await().until(() -> positions.get(CONTAINER).map(LogPosition::skip).orElse(0L) > 0
                && logs.messages("/ecs/web", STREAM).size() == 10);
        first.close();
        lines(11, 20).forEach(log::write);
        log.exit();

        ship(options(AwslogsOptions.Mode.BLOCKING, 0)).finished().get();

        assertThat(logs.messages("/ecs/web", STREAM)).isEqualTo(lines(1, 20));
    }

    @Test
    void aContainerShippedToItsEndIsNotShippedAgain() throws Exception {
        positions.save(CONTAINER, new LogPosition(1, 1, true));

        ship(options(AwslogsOptions.Mode.BLOCKING, 0)).finished().get();

        assertThat(logs.operations()).isEmpty();
    }

    @Test
    void aForgottenContainerStopsShippingAndLosesItsPosition() {
        ContainerLogShipper shipper = ship(options(AwslogsOptions.Mode.BLOCKING, 0));
        log.write("one");
        await().until(() -> positions.get(CONTAINER).isPresent());

        shipping.forget(CONTAINER);

        assertThat(shipper.finished()).isCancelled();
        assertThat(positions.get(CONTAINER)).isEmpty();
    }

    private ContainerLogShipper ship(AwslogsOptions options) {
        return shipping.ship(CONTAINER, "web", TASK, options,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOGS", "secret")));
    }

    private static AwslogsOptions options(AwslogsOptions.Mode mode, long maxBuffer) {
        return new AwslogsOptions("/ecs/web", null, null, "ecs", null, true, true, null, null, mode, maxBuffer,
                Duration.ofMillis(100));
    }

    static List<String> lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i).toList();
    }
}
