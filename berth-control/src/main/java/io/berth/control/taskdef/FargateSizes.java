package io.berth.control.taskdef;

import java.util.List;

/** The task sizes Fargate offers: each task cpu with the memory it can be paired with, in MiB. */
final class FargateSizes {

    /**
     * One row of the table: memory from {@code min} to {@code max} in steps of {@code step}.
     * {@code windows} says whether Windows tasks may have this cpu too.
     */
    private record Row(int cpu, int min, int max, int step, boolean windows) {

        boolean offers(int memory) {
            return memory >= min && memory <= max && (memory - min) % step == 0;
        }
    }

    private static final List<Row> ROWS = List.of(
            new Row(512, 1024, 4096, 1024, false),
            new Row(1024, 2048, 8192, 1024, true),
            new Row(2048, 4096, 16_384, 1024, true),
            new Row(4096, 8192, 30_720, 1024, true),
            new Row(8192, 16_384, 61_440, 4096, false),
            new Row(16_384, 32_768, 122_880, 8192, false));

    private FargateSizes() {
    }

    /** Whether Fargate runs a task of this cpu (units) and memory (MiB); Windows tasks start at 1 vCPU. */
    static boolean offers(int cpu, int memory, boolean windows) {
        if (cpu == 256) {
            // The smallest size doubles its memory rather than stepping: 512, 1024 or 2048.
            return !windows && (memory == 512 || memory == 1024 || memory == 2048);
        }
        return ROWS.stream().anyMatch(row -> row.cpu() == cpu && (row.windows() || !windows) && row.offers(memory));
    }
}
