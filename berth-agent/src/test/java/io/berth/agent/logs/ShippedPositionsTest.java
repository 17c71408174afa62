package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippedPositionsTest {

    @TempDir
    Path data;

    @Test
    void positionsOutliveTheProcessThatRecordedThem() {
        ShippedPositions positions = ShippedPositions.in(data);
        positions.save("abc", new LogPosition(1_700_000_000, 12, false));
        positions.save("def", new LogPosition(1_700_000_100, 3, true));

        ShippedPositions reloaded = ShippedPositions.in(data);

        assertThat(reloaded.get("abc")).contains(new LogPosition(1_700_000_000, 12, false));
        assertThat(reloaded.get("def")).contains(new LogPosition(1_700_000_100, 3, true));
        assertThat(reloaded.get("ghi")).isEmpty();
        assertThat(data.resolve(ShippedPositions.FILE_NAME)).exists();
    }

    @Test
    void aForgottenContainerLeavesNoPosition() {
        ShippedPositions positions = ShippedPositions.in(data);
        positions.save("abc", new LogPosition(5, 1, false));
        positions.remove("abc");
        positions.remove("never-there");

        assertThat(ShippedPositions.in(data).get("abc")).isEmpty();
    }

    @Test
    void aDamagedFileIsReportedNotIgnored() throws Exception {
        Files.writeString(data.resolve(ShippedPositions.FILE_NAME), "{broken");

        assertThatThrownBy(() -> ShippedPositions.in(data)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(ShippedPositions.FILE_NAME);
    }

    @Test
    void inMemoryPositionsWriteNothing() {
        ShippedPositions positions = ShippedPositions.inMemory();
        positions.save("abc", new LogPosition(5, 1, false));

        assertThat(positions.get("abc")).contains(new LogPosition(5, 1, false));
        assertThatThrownBy(() -> new LogPosition(-1, 0, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
