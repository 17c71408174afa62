package io.berth.server.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/** A server's private key and its certificate chain, the server's own certificate first. */
record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {

    /** The password of the in-memory key store only: the key store never leaves the process. */
    static final String KEY_STORE_PASSWORD = "berth";

    KeyMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("A server needs a certificate");
        }
        if (!matches(key, chain.getFirst().getPublicKey())) {
            throw new IllegalArgumentException("The private key does not belong to the certificate "
                    + chain.getFirst().getSubjectX500Principal().getName());
        }
    }

    X509Certificate certificate() {
        return chain.getFirst();
    }

    /** The key and chain as the key store Jetty's TLS context is made from. */
    KeyStore keyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("berth", key, KEY_STORE_PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot hold the server's key in a key store", e);
        }
    }

    /** Whether the key signs what the public key verifies: a pair of RSA, EC or EdDSA keys. */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        byte[] probe = "berth".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            String algorithm = signatureAlgorithm(key);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> throw new IllegalArgumentException("Unsupported key algorithm " + key.getAlgorithm());
        };
    }
}
