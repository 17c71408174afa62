package io.berth.server.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate a self-signed server presents: its key ({@value #KEY_FILE}, readable by the server's user only)
 * and certificate ({@value #CERTIFICATE_FILE}) in the data directory, issued by the installation's
 * {@link CertificateAuthority}. Kept across starts, and issued again when the host's names changed, when it was not
 * issued by that authority, or when it nears its end.
 */
final class ServerCertificate {

    static final String KEY_FILE = "server.key";
    static final String CERTIFICATE_FILE = "server.pem";
    static final Duration VALIDITY = Duration.ofDays(397);
    /** A certificate with less than this left is replaced on start. */
    static final Duration RENEWAL = Duration.ofDays(30);

    private static final Logger log = LoggerFactory.getLogger(ServerCertificate.class);

    private ServerCertificate() {
    }

    /** The server's key and certificate chain for the names, from the data directory or made now. */
    static KeyMaterial inDataDir(Path dataDir, SubjectNames names, Clock clock) {
        CertificateAuthority authority = CertificateAuthority.inDataDir(dataDir, clock);
        Path keyFile = dataDir.resolve(KEY_FILE);
        Path certificateFile = dataDir.resolve(CERTIFICATE_FILE);
        Instant now = clock.instant();
        X509Certificate current = Files.exists(certificateFile) ? Pem.readCertificates(certificateFile).getFirst() : null;
        PrivateKey key = Files.exists(keyFile) ? Pem.readPrivateKey(keyFile) : null;
        PublicKey publicKey;
        if (key != null && current != null && KeyMaterial.matches(key, current.getPublicKey())) {
            if (stillGood(current, authority, names, now)) {
                return new KeyMaterial(key, List.of(current, authority.certificate()));
            }
            // The key stays; only the certificate changes.
            publicKey = current.getPublicKey();
        } else {
            // A PEM private key need not carry its public half: without the certificate it came with, a new pair.
            KeyPair pair = CertificateAuthority.newKeyPair();
            Pem.writePrivateKey(keyFile, pair.getPrivate());
            key = pair.getPrivate();
            publicKey = pair.getPublic();
        }
        X509Certificate issued = authority.issue(publicKey, names, now, VALIDITY);
        Pem.writeCertificates(certificateFile, List.of(issued, authority.certificate()));
        log.info("Issued the server certificate for {} {}", names.dnsNames(), names.ipAddresses());
        return new KeyMaterial(key, List.of(issued, authority.certificate()));
    }

    private static boolean stillGood(X509Certificate certificate, CertificateAuthority authority, SubjectNames names,
            Instant now) {
        return authority.signed(certificate)
                && SubjectNames.of(certificate).equals(names)
                && certificate.getNotAfter().toInstant().isAfter(now.plus(RENEWAL));
    }
}
