package io.berth.control.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

class DemandTest {

    private static ContainerDefinition container(String name, Integer cpu, Integer memory, Integer reservation,
            PortMapping... ports) {
        return ContainerDefinition.builder().name(name).image("busybox").cpu(cpu).memory(memory)
                .memoryReservation(reservation).portMappings(ports).build();
    }

    private static PortMapping port(int containerPort, Integer hostPort, String protocol) {
        return PortMapping.builder().containerPort(containerPort).hostPort(hostPort).protocol(protocol).build();
    }

    private static TaskDefinition definition(String networkMode, ContainerDefinition... containers) {
        return TaskDefinition.builder().family("web").revision(1).networkMode(networkMode)
                .containerDefinitions(containers).build();
    }

    @Test
    void containersAddUpCountingTheSoftMemoryLimitWhenSet() {
        Demand demand = Demand.of(definition("bridge", container("a", 256, 512, null), container("b", 128, 1024, 300)),
                null);

        assertThat(demand.cpu()).isEqualTo(384);
        assertThat(demand.memory()).isEqualTo(812);
    }

    @Test
    void taskLevelSizesWin() {
        TaskDefinition definition = definition("bridge", container("a", 256, 512, null)).toBuilder()
                .cpu("1 vCPU").memory("2 GB").build();

        Demand demand = Demand.of(definition, null);

        assertThat(demand.cpu()).isEqualTo(1024);
        assertThat(demand.memory()).isEqualTo(2048);
    }

    @Test
    void overridesReplaceContainerAndTaskSizes() {
        TaskDefinition definition = definition("bridge", container("a", 256, 512, null), container("b", 128, 128, null));
        TaskOverride overrides = TaskOverride.builder()
                .containerOverrides(ContainerOverride.builder().name("a").cpu(512).memoryReservation(100).build())
                .build();

        Demand demand = Demand.of(definition, overrides);
        Demand taskLevel = Demand.of(definition, overrides.toBuilder().memory("4096").build());

        assertThat(demand.cpu()).isEqualTo(640);
        assertThat(demand.memory()).isEqualTo(228);
        assertThat(taskLevel.memory()).isEqualTo(4096);
    }

    @Test
    void onlyFixedHostPortsAreClaimed() {
        TaskDefinition bridge = definition("bridge", container("a", 0, 64, null,
                port(80, 8080, "tcp"), port(81, 0, "tcp"), port(82, null, "tcp"), port(53, 5353, "udp")));
        TaskDefinition host = definition("host", container("a", 0, 64, null, port(80, null, "tcp")));

        assertThat(Demand.of(bridge, null).tcpPorts()).containsExactly("8080");
        assertThat(Demand.of(bridge, null).udpPorts()).containsExactly("5353");
        assertThat(Demand.of(host, null).tcpPorts()).containsExactly("80");
    }

    @Test
    void badTaskSizesAreInvalidParameters() {
        TaskDefinition definition = definition("bridge", container("a", 0, 64, null));

        assertThatThrownBy(() -> Demand.of(definition, TaskOverride.builder().memory("lots").build()))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.code()).isEqualTo("InvalidParameterException"));
    }
}
