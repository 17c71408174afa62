package io.berth.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.DockerConfig;
import io.berth.model.acs.PortMapping;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreateBodiesTest {

    private final ObjectMapper json = new ObjectMapper();

    private static AcsContainer container(Integer cpu, Integer memory, List<PortMapping> ports, DockerConfig docker) {
        return new AcsContainer("web", "nginx:1", List.of("ignored"), List.of("/entry"), cpu, memory,
                Map.of("FOO", "bar"), true, List.of(), null, ports, List.of(), List.of(), docker, null, List.of(),
                null, null, null, null, null, null);
    }

    private static ContainerSetup setup(AcsContainer container, String cgroupParent) {
        return new ContainerSetup(container, List.of("nginx", "-g", "daemon off;"),
                Map.of("com.amazonaws.ecs.container-name", "web"), Map.of("FOO", "bar", "ECS", "1"),
                List.of("ecs-db-1:db"), List.of("/srv:/data:ro"), List.of("ecs-side-1"), cgroupParent);
    }

    private JsonNode body(AcsContainer container) {
        return CreateBodies.of(setup(container, null));
    }

    @Test
    void typedFieldsBecomeTheDockerCreateBody() throws Exception {
        JsonNode body = body(container(512, 256, List.of(new PortMapping(80, null, null, "tcp"),
                new PortMapping(53, 5353, null, "udp")), null));

        assertThat(body.get("Image").asText()).isEqualTo("nginx:1");
        assertThat(body.get("Cmd")).isEqualTo(json.readTree("[\"nginx\",\"-g\",\"daemon off;\"]"));
        assertThat(body.get("Entrypoint")).isEqualTo(json.readTree("[\"/entry\"]"));
        assertThat(body.get("Env")).isEqualTo(json.readTree("[\"ECS=1\",\"FOO=bar\"]"));
        assertThat(body.get("ExposedPorts")).isEqualTo(json.readTree("{\"80/tcp\":{},\"53/udp\":{}}"));
        JsonNode host = body.get("HostConfig");
        assertThat(host.get("PortBindings")).isEqualTo(json.readTree(
                "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}],\"53/udp\":[{\"HostIp\":\"\",\"HostPort\":\"5353\"}]}"));
        assertThat(host.get("Links")).isEqualTo(json.readTree("[\"ecs-db-1:db\"]"));
        assertThat(host.get("Binds")).isEqualTo(json.readTree("[\"/srv:/data:ro\"]"));
        assertThat(host.get("VolumesFrom")).isEqualTo(json.readTree("[\"ecs-side-1\"]"));
        assertThat(host.get("Memory").asLong()).isEqualTo(256L * 1024 * 1024);
        assertThat(host.get("CpuShares").asInt()).isEqualTo(512);
        assertThat(host.has("CpuQuota")).isFalse();
        assertThat(host.has("CgroupParent")).isFalse();
        assertThat(body.get("Labels").get("com.amazonaws.ecs.container-name").asText()).isEqualTo("web");
    }

    @Test
    void memoryIsRaisedToDockersMinimumAndCpuSharesToTwo() {
        JsonNode host = body(container(0, 4, List.of(), null)).get("HostConfig");

        assertThat(host.get("Memory").asLong()).isEqualTo(6L * 1024 * 1024);
        assertThat(host.get("CpuShares").asInt()).isEqualTo(2);
    }

    @Test
    void dockerConfigIsLaidOverTheTypedSettings() {
        DockerConfig docker = new DockerConfig(null,
                "{\"User\":\"nobody\",\"WorkingDir\":\"/srv\",\"Labels\":{\"tier\":\"web\","
                        + "\"com.amazonaws.ecs.container-name\":\"spoofed\"},"
                        + "\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"]}}",
                "{\"Memory\":1048576000,\"MemoryReservation\":104857600,\"Privileged\":true,"
                        + "\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"1m\"}},"
                        + "\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":2048}],\"ExtraHosts\":[\"a:10.0.0.1\"]}");

        JsonNode body = body(container(10, 256, List.of(), docker));

        assertThat(body.get("User").asText()).isEqualTo("nobody");
        assertThat(body.get("WorkingDir").asText()).isEqualTo("/srv");
        assertThat(body.get("Healthcheck").get("Test").get(1).asText()).isEqualTo("true");
        assertThat(body.get("Labels").get("tier").asText()).isEqualTo("web");
        assertThat(body.get("Labels").get("com.amazonaws.ecs.container-name").asText()).isEqualTo("web");
        JsonNode host = body.get("HostConfig");
        assertThat(host.get("Memory").asLong()).isEqualTo(1048576000L);
        assertThat(host.get("MemoryReservation").asLong()).isEqualTo(104857600L);
        assertThat(host.get("Privileged").asBoolean()).isTrue();
        assertThat(host.get("LogConfig").get("Config").get("max-size").asText()).isEqualTo("1m");
        assertThat(host.get("Ulimits").get(0).get("Name").asText()).isEqualTo("nofile");
        assertThat(host.get("Binds").get(0).asText()).isEqualTo("/srv:/data:ro");
    }

    @Test
    void hostNetworkingDropsLinksAndPublishedPorts() {
        DockerConfig docker = new DockerConfig(null, null, "{\"NetworkMode\":\"host\"}");

        JsonNode host = body(container(10, null, List.of(new PortMapping(80, 80, null, "tcp")), docker))
                .get("HostConfig");

        assertThat(host.get("NetworkMode").asText()).isEqualTo("host");
        assertThat(host.has("Links")).isFalse();
        assertThat(host.has("PortBindings")).isFalse();
        assertThat(host.has("Memory")).isFalse();
    }

    @Test
    void aSizedTasksContainersGoUnderItsCgroupWhateverTheDefinitionSays() {
        DockerConfig docker = new DockerConfig(null, null, "{\"CgroupParent\":\"/elsewhere\"}");

        JsonNode host = CreateBodies.of(setup(container(10, 256, List.of(), docker), "/ecs/abc")).get("HostConfig");

        assertThat(host.get("CgroupParent").asText()).isEqualTo("/ecs/abc");
        assertThat(host.get("CpuShares").asInt()).isEqualTo(10);
        assertThat(host.has("CpuQuota")).isFalse();
    }

    @Test
    void malformedDockerConfigIsRefused() {
        DockerConfig docker = new DockerConfig(null, null, "{not json");

        assertThatThrownBy(() -> body(container(10, null, List.of(), docker)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dockerConfig.hostConfig");
    }
}
