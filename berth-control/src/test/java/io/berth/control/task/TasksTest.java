package io.berth.control.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TasksTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00.123Z");

    @Test
    void taskIdsAre32LowercaseHexDigitsAsEcsMakesThem() {
        assertThat(Tasks.newId(NOW)).hasSize(32).matches("[0-9a-f]{32}");
    }

    @Test
    void taskIdsMadeLaterSortAfterEarlierOnes() {
        String earlier = Tasks.newId(NOW);
        String later = Tasks.newId(NOW.plusMillis(1));

        assertThat(later).isGreaterThan(earlier);
    }

    @Test
    void taskIdsMadeInTheSameMillisecondDiffer() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(Tasks.newId(NOW));
        }

        assertThat(ids).hasSize(10_000).allMatch(id -> id.startsWith(Tasks.newId(NOW).substring(0, 12)));
    }
}
