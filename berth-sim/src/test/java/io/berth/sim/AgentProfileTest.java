package io.berth.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentProfileTest {

    @Test
    void agentsTakeZonesAndInstanceTypesInTurn() {
        AgentProfile profile = AgentProfile.standard().withZones("a", "b", "c").withInstanceTypes("small", "large");

        assertThat(profile.zone(0)).isEqualTo("a");
        assertThat(profile.zone(4)).isEqualTo("b");
        assertThat(profile.instanceType(3)).isEqualTo("large");
    }

    @Test
    void eachChangeKeepsTheOtherSettings() {
        AgentProfile profile = AgentProfile.standard().withFailingFamilies("broken").withResources(4096, 8192)
                .withFailureRate(0.5).withTaskRunTime(Duration.ofSeconds(3)).withTelemetry(true)
                .withRunDelay(Duration.ZERO);

        assertThat(profile.cpu()).isEqualTo(4096);
        assertThat(profile.memory()).isEqualTo(8192);
        assertThat(profile.failureRate()).isEqualTo(0.5);
        assertThat(profile.taskRunTime()).isEqualTo(Duration.ofSeconds(3));
        assertThat(profile.telemetry()).isTrue();
        assertThat(profile.runDelay()).isZero();
        assertThat(profile.failingFamilies()).containsExactly("broken");
        assertThat(AgentProfile.standard().failingFamilies()).isEmpty();
    }

    @Test
    void aFailureRateOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> AgentProfile.standard().withFailureRate(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureRate");
    }

    @Test
    void aProfileNeedsAZoneAndAnInstanceType() {
        assertThatThrownBy(() -> AgentProfile.standard().withZones())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zone");
    }
}
