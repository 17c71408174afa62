package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/** Log groups, streams and every acknowledged event outlive a server killed with SIGKILL. */
class LogsRestartTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Test
    void everyAcknowledgedEventIsThereAfterASigkill() {
        Path data = dir.resolve("data");
        BerthProcess berth = servers.start(data);
        long now = System.currentTimeMillis();
        try (CloudWatchLogsClient logs = client(data, berth)) {
            logs.createLogGroup(r -> r.logGroupName("/restart/app"));
            logs.putRetentionPolicy(r -> r.logGroupName("/restart/app").retentionInDays(30));
            logs.createLogStream(r -> r.logGroupName("/restart/app").logStreamName("s"));
            for (int batch = 0; batch < 20; batch++) {
                int first = batch * 100;
                logs.putLogEvents(r -> r.logGroupName("/restart/app").logStreamName("s").logEvents(
                        IntStream.range(first, first + 100).mapToObj(i -> LogsApiTest.event(now + i, "line " + i))
                                .toList()));
            }
        }
        berth.kill();

        BerthProcess restarted = servers.start(data);
        try (CloudWatchLogsClient logs = client(data, restarted)) {
            LogGroup group = logs.describeLogGroups(r -> r.logGroupNamePrefix("/restart/")).logGroups().get(0);
            List<String> lines = new ArrayList<>();
            logs.getLogEventsPaginator(r -> r.logGroupName("/restart/app").logStreamName("s").startFromHead(true))
                    .stream().forEach(page -> page.events().stream().map(OutputLogEvent::message).forEach(lines::add));

            assertThat(group.retentionInDays()).isEqualTo(30);
            assertThat(lines).containsExactlyElementsOf(IntStream.range(0, 2000).mapToObj(i -> "line " + i).toList());
        }
    }

    private static CloudWatchLogsClient client(Path data, BerthProcess berth) {
        return LogsClients.of(berth.endpoint(), BerthProcess.trust(data), BerthProcess.credentials(data));
    }
}
