package io.berth.control.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyFileTest {

    private static final byte[] VALUE = "hunter2".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void aRotationWritesANewKeyAndKeepsThePreviousOneUntilItFinishes() throws Exception {
        Path file = dir.resolve("master.key");
        Sealer before = Sealer.fromKeyFile(file);
        String sealedBefore = before.seal(VALUE, "k", "c");

        Sealer rotating = MasterKeyFile.beginRotation(file);

        assertThat(rotating.masterKeyId()).isNotEqualTo(before.masterKeyId());
        assertThat(rotating.holdsPreviousKey()).isTrue();
        assertThat(rotating.open(sealedBefore, "k", "c")).isEqualTo(VALUE);
        assertThat(Sealer.fromKeyFile(file).open(sealedBefore, "k", "c")).isEqualTo(VALUE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(MasterKeyFile.previous(file))))
                .isEqualTo("rw-------");

        MasterKeyFile.finishRotation(file);

        Sealer after = Sealer.fromKeyFile(file);
        assertThat(after.masterKeyId()).isEqualTo(rotating.masterKeyId());
        assertThat(after.holdsPreviousKey()).isFalse();
        assertThatThrownBy(() -> after.open(sealedBefore, "k", "c")).isInstanceOf(Sealer.BrokenSealException.class);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aRotationRunAgainBeforeItFinishedKeepsItsNewKey() {
        Path file = dir.resolve("master.key");
        String before = Sealer.fromKeyFile(file).masterKeyId();
        String first = MasterKeyFile.beginRotation(file).masterKeyId();

        Sealer again = MasterKeyFile.beginRotation(file);

        assertThat(again.masterKeyId()).isEqualTo(first).isNotEqualTo(before);
        assertThat(again.holdsPreviousKey()).isTrue();
    }

    @Test
    void aRotationThatStoppedBeforeWritingItsNewKeyWritesOneWhenRunAgain() throws Exception {
        Path file = dir.resolve("master.key");
        String before = Sealer.fromKeyFile(file).masterKeyId();
        Files.copy(file, MasterKeyFile.previous(file));

        Sealer again = MasterKeyFile.beginRotation(file);

        assertThat(again.masterKeyId()).isNotEqualTo(before);
        assertThat(Sealer.fromKeyFile(MasterKeyFile.previous(file)).masterKeyId()).isEqualTo(before);
    }

    @Test
    void thereIsNothingToRotateWithoutAKeyFile() {
        assertThatThrownBy(() -> MasterKeyFile.beginRotation(dir.resolve("missing.key")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no master key file");
    }
}
