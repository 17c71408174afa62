package io.berth.control.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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

    @Test
    void aSealedValueNamesTheMasterKeyThatSealedIt() {
        Sealer sealer = sealer(1);

        String sealed = sealer.seal(VALUE, "k", "c");

        assertThat(Sealer.masterKeyIdOf(sealed)).contains(sealer.masterKeyId());
        assertThat(sealer.masterKeyId()).isEqualTo(sealer(1).masterKeyId()).isNotEqualTo(sealer(2).masterKeyId());
        assertThat(sealer.sealedUnderCurrentKey(sealed)).isTrue();
        assertThat(sealer(2).sealedUnderCurrentKey(sealed)).isFalse();
    }

    @Test
    void aSealerOfANewKeyStillOpensWhatThePreviousKeySealedAndSealsItAgainUnderItsOwn() {
        String old = sealer(1).seal(VALUE, "k", "c");
        Sealer rotating = Sealer.withKeys(key(2), List.of(key(1)));

        String resealed = rotating.reseal(old, "k", "c");

        assertThat(rotating.open(old, "k", "c")).isEqualTo(VALUE);
        assertThat(Sealer.masterKeyIdOf(resealed)).contains(sealer(2).masterKeyId());
        assertThat(sealer(2).open(resealed, "k", "c")).isEqualTo(VALUE);
        assertThatThrownBy(() -> sealer(1).open(resealed, "k", "c")).isInstanceOf(Sealer.BrokenSealException.class);
        assertThat(rotating.reseal(resealed, "k", "c")).isSameAs(resealed);
    }

    @Test
    void aValueSealedUnderAKeyThatIsNotLoadedSaysWhichKeyItNeeds() {
        String sealed = sealer(1).seal(VALUE, "k", "c");

        assertThatThrownBy(() -> sealer(2).open(sealed, "k", "c")).isInstanceOf(Sealer.BrokenSealException.class)
                .hasMessageContaining(sealer(1).masterKeyId()).hasMessageContaining("not loaded");
    }

    @Test
    void aValueSealedBeforeMasterKeysHadIdsStillOpensWithTheCurrentOrThePreviousKey() throws Exception {
        String legacy = sealedWithoutKeyId(key(1), VALUE, "alias/aws/ssm", "ssm:/a:1");

        assertThat(sealer(1).open(legacy, "alias/aws/ssm", "ssm:/a:1")).isEqualTo(VALUE);
        assertThat(Sealer.withKeys(key(2), List.of(key(1))).open(legacy, "alias/aws/ssm", "ssm:/a:1")).isEqualTo(VALUE);
        assertThat(Sealer.masterKeyIdOf(legacy)).isEmpty();
        assertThatThrownBy(() -> sealer(2).open(legacy, "alias/aws/ssm", "ssm:/a:1"))
                .isInstanceOf(Sealer.BrokenSealException.class);
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return key;
    }

    /** A value as sealed before sealed values named their master key: a format byte of 1, the nonce, the ciphertext. */
    static String sealedWithoutKeyId(byte[] key, byte[] plain, String keyId, String context) throws Exception {
        byte[] nonce = new byte[12];
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD((keyId + '\u0000' + context).getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(plain);
        byte[] out = new byte[1 + nonce.length + sealed.length];
        out[0] = 1;
        System.arraycopy(sealed, 0, out, 1 + nonce.length, sealed.length);
        return Base64.getEncoder().encodeToString(out);
    }
}
