package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.agent.TestDocker;
import io.berth.agent.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The shipping of real containers' output, followed through the Docker Engine running here. */
class DockerLogShippingTest {

    private static final String LABEL = "berth-test-awslogs";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String TASK = "arn:aws:ecs:us-east-1:123456789012:task/default/" + RUN;
    @RegisterExtension
    static final TestDocker DOCKER = TestDocker.labelled(LABEL, RUN);
    private static final String STREAM = "ecs/counter/" + RUN;
    private static final int LINES = 10_000;

    @TempDir
    Path data;
    private FakeLogs logs;

    @BeforeEach
    void startLogs() throws Exception {
        logs = new FakeLogs();
    }

    @AfterEach
    void stopLogs() throws Exception {
        logs.close();
    }

    @Test
    void tenThousandNumberedLinesAllArriveInOrder() throws Exception {
        String container = run("i=1; while [ $i -le " + LINES + " ]; do echo \"line $i\"; i=$((i+1)); done");

        try (LogShipping shipping = shipping()) {
            ship(shipping, container).finished().get(2, TimeUnit.MINUTES);
        }

        assertThat(logs.groups()).contains("/berth/test");
        assertThat(logs.messages("/berth/test", STREAM)).isEqualTo(numbered(1, LINES));
        assertThat(logs.puts()).allSatisfy(put -> assertThat(put.events()).hasSizeLessThanOrEqualTo(Batch.MAX_EVENTS));
    }

    @Test
    void anAgentKilledMidwayResumesFromItsRecordWithNothingMissing() throws Exception {
        String container = run("i=1; while [ $i -le " + LINES + " ]; do echo \"line $i\"; "
                + "if [ $((i % 100)) -eq 0 ]; then sleep 0.1; fi; i=$((i+1)); done");
        LogShipping first = shipping();
        ship(first, container);
        await().atMost(Duration.ofMinutes(1)).until(() -> logs.messages("/berth/test", STREAM).size() >= 5_000);
        // as SIGKILL would: no flush, nothing more recorded
        first.close();
        int shippedBeforeTheKill = logs.puts().size();
        assertThat(logs.messages("/berth/test", STREAM)).as("killed midway").hasSizeLessThan(LINES);

        try (LogShipping second = shipping()) {
            ship(second, container).finished().get(2, TimeUnit.MINUTES);
        }

        List<String> received = logs.messages("/berth/test", STREAM);
        List<String> once = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> twice = new ArrayList<>();
        for (String message : received) {
            (seen.add(message) ? once : twice).add(message);
        }
        assertThat(once).isEqualTo(numbered(1, LINES));
        int largestBatchBeforeTheKill = logs.puts().subList(0, shippedBeforeTheKill).stream()
                .mapToInt(put -> put.events().size()).max().orElse(0);
        assertThat(twice).hasSizeLessThanOrEqualTo(largestBatchBeforeTheKill);
    }

    @Test
    void stdoutAndStderrBothArrive() throws Exception {
        String container = run("for i in 1 2 3; do echo \"out $i\"; echo \"err $i\" >&2; done", false);

        try (LogShipping shipping = shipping()) {
            ship(shipping, container).finished().get(1, TimeUnit.MINUTES);
        }

        assertThat(logs.messages("/berth/test", STREAM)).containsExactlyInAnyOrder("out 1", "err 1", "out 2", "err 2",
                "out 3", "err 3").containsSubsequence("out 1", "out 2", "out 3").containsSubsequence("err 1", "err 3");
    }

    @Test
    void aTtyContainersOutputIsCutIntoLinesAsDockerCutsIt() throws Exception {
        String container = run("i=1; while [ $i -le 300 ]; do echo \"line $i\"; i=$((i+1)); done", true);

        try (LogShipping shipping = shipping()) {
            ship(shipping, container).finished().get(1, TimeUnit.MINUTES);
        }

        // a terminal ends lines with CRLF, and Docker's driver keeps the CR
        assertThat(logs.messages("/berth/test", STREAM)).isEqualTo(numbered(1, 300).stream().map(l -> l + "\r")
                .toList());
    }

    private LogShipping shipping() {
        return LogShipping.start(DOCKER.runtime(), data, logs.endpoint(), "us-east-1");
    }

    private static ContainerLogShipper ship(LogShipping shipping, String container) {
        AwslogsOptions options = new AwslogsOptions("/berth/test", null, null, "ecs", null, true, true, null, null,
                AwslogsOptions.Mode.BLOCKING, 0, Duration.ofMillis(200));
        return shipping.ship(container, "counter", TASK, options,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOGS", "secret")));
    }

    /** Creates and starts a busybox container running {@code script}, asking for awslogs as a task would. */
    private static String run(String script) throws Exception {
        return run(script, false);
    }

    private static String run(String script, boolean tty) throws Exception {
        ObjectNode body = (ObjectNode) new ObjectMapper().readTree("""
                {"Image": "%s", "Labels": {"%s": "%s"},
                 "HostConfig": {"LogConfig": {"Type": "awslogs", "Config": {"awslogs-group": "/berth/test"}}}}"""
                .formatted(TestImages.BUSYBOX, LABEL, RUN));
        body.putArray("Cmd").add("/bin/busybox").add("sh").add("-c")
                .add("/bin/busybox --install -s /bin 2>/dev/null; " + script);
        body.put("Tty", tty);
        assertThat(AwslogsOptions.keepJsonFileLog(body)).isTrue();
        String name = "berth-awslogs-" + RUN + "-" + UUID.randomUUID().toString().substring(0, 6);
        String id = DOCKER.runtime().create(name, body);
        DOCKER.runtime().start(id);
        return id;
    }

    private static List<String> numbered(int from, int to) {
        return ContainerLogShipperTest.lines(from, to);
    }
}
