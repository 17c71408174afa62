package io.berth.control.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals and opens values with the master key: AES-256-GCM, a fresh random nonce per value, and the
 * key id and the value's context bound as associated data. A sealed value is one base64 string:
 * a format byte, the nonce, then the ciphertext with its tag.
 */
public final class Sealer {

    /** A sealed value that does not open: altered, sealed for another key id or context, or under another master key. */
    public static final class BrokenSealException extends RuntimeException {
        BrokenSealException(String message) {
            super(message, null, false, false);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Sealer.class);
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte FORMAT = 1;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private Sealer(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("A master key has " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * A key for another purpose, derived from the master key (HMAC-SHA256 of the purpose's name), so that servers
     * sharing the master key share it, and it never reveals the master key.
     */
    public byte[] derivedKey(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A sealer with the given 32-byte key. */
    public static Sealer withKey(byte[] key) {
        return new Sealer(key.clone());
    }

    /**
     * The sealer of the master key in {@code file}, which is created (32 random bytes, base64, readable by its owner
     * only) when it does not exist yet.
     */
    public static Sealer fromKeyFile(Path file) {
        try {
            if (Files.notExists(file)) {
                create(file);
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                log.warn("The master key file {} can be read by others than its owner ({})", file,
                        PosixFilePermissions.toString(permissions));
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (key.length != KEY_BYTES) {
                throw new IllegalStateException("The master key file " + file + " does not hold a " + KEY_BYTES
                        + "-byte key");
            }
            return new Sealer(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The master key file " + file + " is not base64", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the master key file " + file, e);
        }
    }

    /** Writes a new key where none is; a key another process wrote first is kept. */
    private static void create(Path file) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, ".master-key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(partial, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            publish(partial, file);
            log.info("Created the master key file {}", file);
        } catch (FileAlreadyExistsException e) {
            log.debug("The master key file {} appeared meanwhile; keeping it", file);
        } finally {
            Files.deleteIfExists(partial);
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Puts the written key in place without replacing one that is there: a hard link, else a move. */
    private static void publish(Path partial, Path file) throws IOException {
        try {
            Files.createLink(file, partial);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            Files.move(partial, file);
        }
    }

    /** Seals the value for the key id and context; each call gives a different sealed string. */
    public String seal(byte[] plain, String keyId, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, keyId, context);
            ByteBuffer sealed = ByteBuffer.allocate(1 + NONCE_BYTES + cipher.getOutputSize(plain.length));
            sealed.put(FORMAT).put(nonce);
            cipher.doFinal(ByteBuffer.wrap(plain), sealed);
            return Base64.getEncoder().encodeToString(sealed.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The value sealed for this key id and context, or BrokenSealException. */
    public byte[] open(String sealed, String keyId, String context) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new BrokenSealException("A sealed value is not base64");
        }
        if (bytes.length < 1 + NONCE_BYTES + TAG_BITS / 8 || bytes[0] != FORMAT) {
            throw new BrokenSealException("A sealed value has an unknown format");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOfRange(bytes, 1, 1 + NONCE_BYTES), keyId, context);
            return cipher.doFinal(bytes, 1 + NONCE_BYTES, bytes.length - 1 - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new BrokenSealException("A sealed value does not open with the master key for its key id and context");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String keyId, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD((keyId + '\u0000' + context).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    @Override
    public String toString() {
        return "Sealer[AES-256-GCM]";
    }
}
