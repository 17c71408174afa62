package io.berth.control.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens values with the master key: AES-256-GCM, a fresh random nonce per value, and the
 * key id and the value's context bound as associated data. A sealed value is one base64 string:
 * a format byte, the id of the master key that sealed it, the nonce, then the ciphertext with its tag.
 * Values always seal under the current master key; while a rotation runs, the previous key still opens
 * what it sealed. Values sealed before master keys had ids (format 1) open with whichever key does.
 */
public final class Sealer {

    /** A sealed value that does not open: altered, sealed for another key id or context, or under another master key. */
    public static final class BrokenSealException extends RuntimeException {
        BrokenSealException(String message) {
            super(message, null, false, false);
        }
    }

    static final int KEY_BYTES = 32;
    private static final int ID_BYTES = 8;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte WITHOUT_KEY_ID = 1;
    private static final byte WITH_KEY_ID = 2;
    private static final int HEADER_BYTES = 1 + ID_BYTES + NONCE_BYTES;

    /** One master key and the id sealed values name it by, derived from the key so that it never needs storing. */
    private record MasterKey(byte[] id, SecretKeySpec key) {

        static MasterKey of(byte[] key) {
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("A master key has " + KEY_BYTES + " bytes");
            }
            return new MasterKey(Arrays.copyOf(hmac(key, "berth master key id"), ID_BYTES),
                    new SecretKeySpec(key, "AES"));
        }
    }

    private final MasterKey current;
    private final List<MasterKey> previous;
    private final SecureRandom random = new SecureRandom();

    private Sealer(MasterKey current, List<MasterKey> previous) {
        this.current = current;
        this.previous = List.copyOf(previous);
    }

    /** A sealer with the given 32-byte key. */
    public static Sealer withKey(byte[] key) {
        return new Sealer(MasterKey.of(key.clone()), List.of());
    }

    /** A sealer that seals under {@code key} and still opens what the previous keys sealed. */
    public static Sealer withKeys(byte[] key, List<byte[]> previousKeys) {
        List<MasterKey> older = new ArrayList<>();
        previousKeys.forEach(k -> older.add(MasterKey.of(k.clone())));
        return new Sealer(MasterKey.of(key.clone()), older);
    }

    /**
     * The sealer of the master key in {@code file}, which is created (32 random bytes, base64, readable by its owner
     * only) when it does not exist yet, together with the key a rotation left beside it, if any.
     */
    public static Sealer fromKeyFile(java.nio.file.Path file) {
        return MasterKeyFile.load(file);
    }

    /**
     * A key for another purpose, derived from the master key (HMAC-SHA256 of the purpose's name), so that servers
     * sharing the master key share it, and it never reveals the master key.
     */
    public byte[] derivedKey(String purpose) {
        return hmac(current.key().getEncoded(), purpose);
    }

    /** The id of the master key values seal under, as sealed values name it. */
    public String masterKeyId() {
        return HexFormat.of().formatHex(current.id());
    }

    /** Whether a previous master key is still loaded: a rotation has not finished. */
    public boolean holdsPreviousKey() {
        return !previous.isEmpty();
    }

    /** The id of the master key that sealed the value; empty when it was sealed before keys had ids, or is no seal. */
    public static Optional<String> masterKeyIdOf(String sealed) {
        byte[] bytes = decode(sealed);
        return bytes.length >= HEADER_BYTES && bytes[0] == WITH_KEY_ID
                ? Optional.of(HexFormat.of().formatHex(bytes, 1, 1 + ID_BYTES))
                : Optional.empty();
    }

    /** Seals the value for the key id and context; each call gives a different sealed string. */
    public String seal(byte[] plain, String keyId, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, current.key(), nonce, keyId, context);
            ByteBuffer sealed = ByteBuffer.allocate(HEADER_BYTES + cipher.getOutputSize(plain.length));
            sealed.put(WITH_KEY_ID).put(current.id()).put(nonce);
            cipher.doFinal(ByteBuffer.wrap(plain), sealed);
            return Base64.getEncoder().encodeToString(sealed.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The value sealed for this key id and context, or BrokenSealException. */
    public byte[] open(String sealed, String keyId, String context) {
        byte[] bytes = decode(sealed);
        if (bytes.length >= HEADER_BYTES + TAG_BITS / 8 && bytes[0] == WITH_KEY_ID) {
            MasterKey key = keyWithId(Arrays.copyOfRange(bytes, 1, 1 + ID_BYTES));
            return open(key, bytes, 1 + ID_BYTES, keyId, context);
        }
        if (bytes.length >= 1 + NONCE_BYTES + TAG_BITS / 8 && bytes[0] == WITHOUT_KEY_ID) {
            BrokenSealException failure = null;
            for (MasterKey key : keys()) {
                try {
                    return open(key, bytes, 1, keyId, context);
                } catch (BrokenSealException e) {
                    failure = e;
                }
            }
            throw failure;
        }
        throw new BrokenSealException("A sealed value has an unknown format");
    }

    /** Whether the value is sealed under the current master key, so a rotation leaves it as it is. */
    public boolean sealedUnderCurrentKey(String sealed) {
        return masterKeyIdOf(sealed).filter(masterKeyId()::equals).isPresent();
    }

    /** The value sealed under the current master key: itself when it already is, else opened and sealed again. */
    public String reseal(String sealed, String keyId, String context) {
        if (sealedUnderCurrentKey(sealed)) {
            return sealed;
        }
        byte[] plain = open(sealed, keyId, context);
        try {
            return seal(plain, keyId, context);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private List<MasterKey> keys() {
        List<MasterKey> keys = new ArrayList<>(1 + previous.size());
        keys.add(current);
        keys.addAll(previous);
        return keys;
    }

    private MasterKey keyWithId(byte[] id) {
        for (MasterKey key : keys()) {
            if (Arrays.equals(key.id(), id)) {
                return key;
            }
        }
        throw new BrokenSealException("A sealed value was sealed under master key " + HexFormat.of().formatHex(id)
                + ", which is not loaded (loaded: " + masterKeyId() + ")");
    }

    private static byte[] open(MasterKey key, byte[] bytes, int nonceAt, String keyId, String context) {
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key.key(), Arrays.copyOfRange(bytes, nonceAt, nonceAt + NONCE_BYTES),
                    keyId, context);
            int sealedAt = nonceAt + NONCE_BYTES;
            return cipher.doFinal(bytes, sealedAt, bytes.length - sealedAt);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new BrokenSealException("A sealed value does not open with the master key for its key id and context");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] decode(String sealed) {
        try {
            return Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new BrokenSealException("A sealed value is not base64");
        }
    }

    private static Cipher cipher(int mode, SecretKeySpec key, byte[] nonce, String keyId, String context)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD((keyId + '\u0000' + context).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "Sealer[AES-256-GCM, master key " + masterKeyId() + "]";
    }
}
