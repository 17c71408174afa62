package io.berth.server.tls;

import java.nio.file.Path;
import java.util.Set;
import org.eclipse.jetty.util.Scanner;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's certificate and key files, served as they are and served again when they change (a renewal): a
 * change is taken once both files are complete and belong together, and until then the server keeps presenting the
 * certificate it had.
 */
final class OperatorCertificate implements Scanner.BulkListener {

    /** Seconds between two looks at the files; a change is taken once it stood still for one more look. */
    private static final int SCAN_INTERVAL_SECONDS = 1;
    private static final Logger log = LoggerFactory.getLogger(OperatorCertificate.class);

    private final Path certificateFile;
    private final Path keyFile;
    private final SslContextFactory.Server context;

    private OperatorCertificate(Path certificateFile, Path keyFile, SslContextFactory.Server context) {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.context = context;
    }

    static KeyMaterial load(Path certificateFile, Path keyFile) {
        return new KeyMaterial(Pem.readPrivateKey(keyFile), Pem.readCertificates(certificateFile));
    }

    /** A scanner of the two files that reloads {@code context} from them; it runs while the server runs. */
    static Scanner watch(Path certificateFile, Path keyFile, SslContextFactory.Server context) {
        Scanner scanner = new Scanner();
        scanner.setScanInterval(SCAN_INTERVAL_SECONDS);
        scanner.addFile(certificateFile.toAbsolutePath());
        scanner.addFile(keyFile.toAbsolutePath());
        scanner.addListener(new OperatorCertificate(certificateFile, keyFile, context));
        return scanner;
    }

    @Override
    public void filesChanged(Set<String> changed) {
        KeyMaterial material;
        try {
            material = load(certificateFile, keyFile);
        } catch (RuntimeException e) {
            log.warn("Keeping the current certificate: {} and {} do not hold a certificate and its key yet ({})",
                    certificateFile, keyFile, e.getMessage());
            return;
        }
        try {
            context.reload(factory -> factory.setKeyStore(material.keyStore()));
            log.info("Serving the certificate of {} from {}",
                    material.certificate().getSubjectX500Principal().getName(), certificateFile);
        } catch (Exception e) {
            log.warn("Reloading the certificate of {} failed", certificateFile, e);
        }
    }
}
