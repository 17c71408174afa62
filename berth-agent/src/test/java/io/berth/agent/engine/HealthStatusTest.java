package io.berth.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthStatusTest {

    @Test
    void dockersHealthStatesReadAsEcsNamesThem() {
        assertThat(HealthStatus.ofDocker("healthy")).isEqualTo(HealthStatus.HEALTHY);
        assertThat(HealthStatus.ofDocker("unhealthy")).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(HealthStatus.ofDocker("starting")).isEqualTo(HealthStatus.UNKNOWN);
    }

    @Test
    void aStateDockerMayAddLaterIsUnknownAndNoHealthCheckIsNone() {
        assertThat(HealthStatus.ofDocker("none")).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(HealthStatus.ofDocker(null)).isNull();
    }
}
