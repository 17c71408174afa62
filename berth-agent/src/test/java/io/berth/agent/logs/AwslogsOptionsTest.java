package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.DockerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwslogsOptionsTest {

    private static final String TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef";

    @Test
    void theUsualEcsOptionsAreRead() {
        AwslogsOptions options = AwslogsOptions.parse(Map.of("awslogs-group", "/ecs/web",
                "awslogs-region", "eu-west-1", "awslogs-stream-prefix", "ecs", "awslogs-create-group", "true",
                "awslogs-endpoint", "http://127.0.0.1:8773"));

        assertThat(options.group()).isEqualTo("/ecs/web");
        assertThat(options.region()).isEqualTo("eu-west-1");
        assertThat(options.createGroup()).isTrue();
        assertThat(options.createStream()).isTrue();
        assertThat(options.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8773"));
        assertThat(options.mode()).isEqualTo(AwslogsOptions.Mode.BLOCKING);
        assertThat(options.flushInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theStreamIsNamedAsEcsNamesIt() {
        assertThat(options("awslogs-stream-prefix", "ecs").streamName("web", TASK_ARN, "c0ffee"))
                .isEqualTo("ecs/web/0123456789abcdef");
        assertThat(options().streamName("web", TASK_ARN, "c0ffee")).isEqualTo("c0ffee");
        assertThat(options("awslogs-stream", "fixed", "awslogs-stream-prefix", "ecs").streamName("web", TASK_ARN, "c"))
                .isEqualTo("fixed");
    }

    @Test
    void nonBlockingModeTakesABufferSize() {
        AwslogsOptions options = options("mode", "non-blocking", "max-buffer-size", "4m");

        assertThat(options.mode()).isEqualTo(AwslogsOptions.Mode.NON_BLOCKING);
        assertThat(options.maxBufferBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(options("mode", "non-blocking").maxBufferBytes()).isEqualTo(1_000_000);
        assertThat(AwslogsOptions.bytes("512k")).isEqualTo(512 * 1024);
        assertThat(AwslogsOptions.bytes("1MiB")).isEqualTo(1024 * 1024);
        assertThat(AwslogsOptions.bytes("100")).isEqualTo(100);
    }

    @Test
    void badOptionsAreRefusedWithDockersWords() {
        assertThatThrownBy(() -> AwslogsOptions.parse(Map.of("awslogs-region", "us-east-1")))
                .hasMessage("must specify a value for log opt 'awslogs-group'");
        assertThatThrownBy(() -> options("awslogs-datetime-format", "%Y", "awslogs-multiline-pattern", "^x"))
                .hasMessageContaining("cannot configure log opt 'awslogs-datetime-format' and "
                        + "'awslogs-multiline-pattern' at the same time");
        assertThatThrownBy(() -> options("awslogs-create-group", "yes"))
                .hasMessageContaining("must specify valid value for log opt 'awslogs-create-group'");
        assertThatThrownBy(() -> options("mode", "sometimes"))
                .hasMessage("logger: logging mode not supported: sometimes");
        assertThatThrownBy(() -> options("max-buffer-size", "1m"))
                .hasMessageContaining("only supported with 'mode=non-blocking'");
        assertThatThrownBy(() -> options("mode", "non-blocking", "max-buffer-size", "lots"))
                .hasMessageContaining("invalid size");
        assertThatThrownBy(() -> options("awslogs-multiline-pattern", "(unclosed"))
                .hasMessageContaining("could not parse multiline pattern");
        assertThatThrownBy(() -> options("awslogs-endpoint", "not a url"))
                .hasMessageContaining("awslogs-endpoint");
        assertThatThrownBy(() -> options("awslogs-force-flush-interval-seconds", "0"))
                .hasMessageContaining("awslogs-force-flush-interval-seconds");
        assertThatThrownBy(() -> options("awslogs-colour", "blue"))
                .hasMessage("unknown log opt 'awslogs-colour' for awslogs log driver");
    }

    @Test
    void theOptionsComeFromTheLogConfigTheControlPlanePutsInTheHostConfig() {
        AcsContainer awslogs = container("""
                {"LogConfig": {"Type": "awslogs", "Config": {"awslogs-group": "g", "awslogs-stream-prefix": "p"}}}""");

        assertThat(AwslogsOptions.of(awslogs)).hasValueSatisfying(o -> assertThat(o.streamPrefix()).isEqualTo("p"));
        assertThat(AwslogsOptions.of(container("{\"LogConfig\": {\"Type\": \"json-file\"}}"))).isEmpty();
        assertThat(AwslogsOptions.of(container("{}"))).isEmpty();
        assertThat(AwslogsOptions.of(container(null))).isEmpty();
        assertThatThrownBy(() -> AwslogsOptions.of(container("{\"LogConfig\": {\"Type\": \"awslogs\"}}")))
                .hasMessageContaining("awslogs-group");
        assertThatThrownBy(() -> AwslogsOptions.of(container("{not json"))).hasMessageContaining("not valid JSON");
    }

    @Test
    void theCreateBodyKeepsTheLogLocallyInstead() throws Exception {
        ObjectNode body = (ObjectNode) new ObjectMapper().readTree("""
                {"Image": "busybox", "HostConfig": {"Memory": 1024,
                 "LogConfig": {"Type": "awslogs", "Config": {"awslogs-group": "g"}}}}""");
        ObjectNode other = (ObjectNode) new ObjectMapper().readTree("""
                {"HostConfig": {"LogConfig": {"Type": "syslog", "Config": {}}}}""");

        assertThat(AwslogsOptions.keepJsonFileLog(body)).isTrue();
        assertThat(body.at("/HostConfig/LogConfig/Type").asText()).isEqualTo("json-file");
        assertThat(body.at("/HostConfig/LogConfig/Config").isEmpty()).isTrue();
        assertThat(body.at("/HostConfig/Memory").asInt()).isEqualTo(1024);
        assertThat(AwslogsOptions.keepJsonFileLog(other)).isFalse();
        assertThat(other.at("/HostConfig/LogConfig/Type").asText()).isEqualTo("syslog");
    }

    static AwslogsOptions options(String... keysAndValues) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("awslogs-group", "group");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            options.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return AwslogsOptions.parse(options);
    }

    private static AcsContainer container(String hostConfig) {
        return new AcsContainer("web", "busybox", List.of(), null, null, null, Map.of(), true, List.of(), null,
                List.of(), List.of(), List.of(), hostConfig == null ? null : new DockerConfig(null, null, hostConfig),
                null, List.of(), null, null, null, null, null, null);
    }
}
