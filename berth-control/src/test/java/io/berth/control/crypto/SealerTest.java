package io.berth.control.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealerTest {

    private static final byte[] VALUE = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static Sealer sealer(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return Sealer.withKey(key);
    }

    @Test
    void aSealedValueOpensForItsKeyIdAndContext() {
        Sealer sealer = sealer(1);

        String sealed = sealer.seal(VALUE, "alias/aws/ssm", "ssm:/db/password:1");

        assertThat(sealer.open(sealed, "alias/aws/ssm", "ssm:/db/password:1")).isEqualTo(VALUE);
        assertThat(sealed).doesNotContain("horse");
        assertThat(new String(Base64.getDecoder().decode(sealed), StandardCharsets.ISO_8859_1)).doesNotContain("horse");
    }

    @Test
    void everySealingUsesAFreshNonce() {
        Sealer sealer = sealer(1);

        assertThat(sealer.seal(VALUE, "k", "c")).isNotEqualTo(sealer.seal(VALUE, "k", "c"));
    }

    @Test
    void anAlteredSealedValueDoesNotOpen() {
        Sealer sealer = sealer(1);
        byte[] bytes = Base64.getDecoder().decode(sealer.seal(VALUE, "k", "c"));
        bytes[bytes.length - 3] ^= 0x01;

        assertThatThrownBy(() -> sealer.open(Base64.getEncoder().encodeToString(bytes), "k", "c"))
                .isInstanceOf(Sealer.BrokenSealException.class).hasMessageNotContaining("horse");
    }

    @Test
    void aSealedValueDoesNotOpenForAnotherKeyIdContextOrMasterKey() {
        String sealed = sealer(1).seal(VALUE, "alias/aws/ssm", "ssm:/a:1");

        assertThatThrownBy(() -> sealer(1).open(sealed, "alias/other", "ssm:/a:1"))
                .isInstanceOf(Sealer.BrokenSealException.class);
        assertThatThrownBy(() -> sealer(1).open(sealed, "alias/aws/ssm", "ssm:/b:1"))
                .isInstanceOf(Sealer.BrokenSealException.class);
        assertThatThrownBy(() -> sealer(2).open(sealed, "alias/aws/ssm", "ssm:/a:1"))
                .isInstanceOf(Sealer.BrokenSealException.class);
    }

    @Test
    void somethingThatWasNeverSealedDoesNotOpen() {
        assertThatThrownBy(() -> sealer(1).open("not base64 at all!", "k", "c"))
                .isInstanceOf(Sealer.BrokenSealException.class);
        assertThatThrownBy(() -> sealer(1).open("AAAA", "k", "c")).isInstanceOf(Sealer.BrokenSealException.class);
    }

    @Test
    void theKeyFileIsCreatedReadableByItsOwnerOnlyAndKeptAcrossStarts() throws Exception {
        Path file = dir.resolve("keys/master.key");

        String sealed = Sealer.fromKeyFile(file).seal(VALUE, "k", "c");
        byte[] reopened = Sealer.fromKeyFile(file).open(sealed, "k", "c");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(reopened).isEqualTo(VALUE);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aKeyFileWithoutA32ByteKeyIsRefused() throws Exception {
        Path shortKey = Files.writeString(dir.resolve("short.key"), Base64.getEncoder().encodeToString(new byte[16]));
        Path garbage = Files.writeString(dir.resolve("garbage.key"), "%%%");

        assertThatThrownBy(() -> Sealer.fromKeyFile(shortKey)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32-byte");
        assertThatThrownBy(() -> Sealer.fromKeyFile(garbage)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not base64");
    }
}
