package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The quick scheduling benchmark keeps working: a small fleet gets every task placed and RUNNING. */
class SchedulingBenchTest {

    @Test
    void aSmallFleetRunsEveryTaskAndYieldsFigures() {
        SchedulingBench.Result result = SchedulingBench.run(new SchedulingBench.Options(null, "us-east-1", null, null,
                10, 100, 4, "spread", 0));

        assertThat(result.instances()).isEqualTo(10);
        assertThat(result.placed()).isEqualTo(100);
        assertThat(result.unplaced()).isZero();
        assertThat(result.runTask().calls()).isEqualTo(10);
        assertThat(result.runTask().errors()).isZero();
        assertThat(result.allRunningSeconds()).isNotNaN();
        assertThat(result.text()).contains("placements/s");
        assertThat(result.json()).contains("\"placed\":100");
    }

    @Test
    void servicesOnASmallFleetRunEveryTaskAndYieldFigures() {
        SchedulingBench.Result result = SchedulingBench.run(new SchedulingBench.Options(null, "us-east-1", null, null,
                10, 100, 4, "binpack", 4));

        assertThat(result.placed()).isEqualTo(100);
        assertThat(result.unplaced()).isZero();
        assertThat(result.runTask().calls()).isEqualTo(4);
        assertThat(result.runTask().errors()).isZero();
        assertThat(result.allRunningSeconds()).isNotNaN();
        assertThat(result.text()).contains("CreateService", "placements/s");
    }

    @Test
    void warmUpTasksAreNotCountedAndAServerProcessGetsItsOwnCpuFigure() {
        // The server runs in this process here, so this process stands in for the server's.
        SchedulingBench.Result result = SchedulingBench.run(new SchedulingBench.Options(null, "us-east-1", null, null,
                10, 100, 4, "binpack", 0, false, ProcessHandle.current().pid(), 50));

        assertThat(result.placed()).isEqualTo(100);
        assertThat(result.runTask().calls()).isEqualTo(10);
        assertThat(result.allRunningSeconds()).isNotNaN();
        assertThat(result.serverCpuMillisPerPlacement()).isPositive();
        assertThat(result.text()).contains("CPU of the server process alone");
    }
}
