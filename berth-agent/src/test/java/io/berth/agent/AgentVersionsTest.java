package io.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgentVersionsTest {

    @Test
    void dockerApiCapabilitiesAreTheKnownVersionsTheDaemonAccepts() {
        assertThat(Agent.supportedDockerApiVersions(List.of("1.12", "1.41")))
                .hasSize(25).startsWith("1.17", "1.18").endsWith("1.41");
        assertThat(Agent.supportedDockerApiVersions(List.of("1.24", "1.51")))
                .startsWith("1.24").endsWith("1.44");
    }
}
