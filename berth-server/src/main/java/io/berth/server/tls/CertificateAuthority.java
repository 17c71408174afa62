package io.berth.server.tls;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate authority of one Berth installation: its key ({@value #KEY_FILE}, readable by the server's user
 * only) and certificate ({@value TlsConfig#CA_FILE}, which clients trust) in the data directory, created on first
 * start and kept for good, so that clients trust the server across restarts and new server certificates.
 */
final class CertificateAuthority {

    static final String KEY_FILE = "ca.key";
    private static final Duration VALIDITY = Duration.ofDays(3650);
    /** Certificates start a little in the past, so that a client whose clock is behind accepts them. */
    static final Duration BACKDATING = Duration.ofHours(1);
    private static final String SIGNATURE = "SHA256withECDSA";

    private final PrivateKey key;
    private final X509Certificate certificate;

    private CertificateAuthority(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** The authority of the data directory: the one kept there, or a new one written there. */
    static CertificateAuthority inDataDir(Path dataDir, Clock clock) {
        Path keyFile = dataDir.resolve(KEY_FILE);
        Path certificateFile = dataDir.resolve(TlsConfig.CA_FILE);
        if (Files.exists(keyFile) && Files.exists(certificateFile)) {
            return new CertificateAuthority(Pem.readPrivateKey(keyFile),
                    Pem.readCertificates(certificateFile).getFirst());
        }
        KeyPair pair = newKeyPair();
        Instant now = clock.instant();
        X500Name subject = new X500Name("CN=Berth CA " + now.getEpochSecond() + ",O=Berth");
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serialNumber(),
                    Date.from(now.minus(BACKDATING)), Date.from(now.plus(VALIDITY)), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = sign(builder, pair.getPrivate());
            // The key first: a certificate without its key would be replaced on the next start.
            Pem.writePrivateKey(keyFile, pair.getPrivate());
            Pem.writeCertificates(certificateFile, List.of(certificate));
            return new CertificateAuthority(pair.getPrivate(), certificate);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("Cannot create the certificate authority", e);
        }
    }

    X509Certificate certificate() {
        return certificate;
    }

    /** A server certificate for the names, valid from now for {@code validity}. */
    X509Certificate issue(PublicKey serverKey, SubjectNames names, Instant now, Duration validity) {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X500Name subject = new X500Name("CN=" + (names.dnsNames().isEmpty() ? "berth"
                    : names.dnsNames().first().replaceAll("[,=+<>#;\"\\\\]", "")) + ",O=Berth");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serialNumber(),
                    Date.from(now.minus(BACKDATING)), Date.from(now.plus(validity)), subject, serverKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                            | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, names.generalNames())
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(serverKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            return sign(builder, key);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("Cannot issue the server certificate", e);
        }
    }

    /** Whether this authority signed the certificate. */
    boolean signed(X509Certificate issued) {
        try {
            issued.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A new P-256 key pair: small, fast, and understood by every TLS client Berth has. */
    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot create an EC key", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static BigInteger serialNumber() {
        return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
    }
}
