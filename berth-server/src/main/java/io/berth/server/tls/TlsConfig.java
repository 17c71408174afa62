package io.berth.server.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Whether and how a server speaks TLS at its port.
 *
 * @param mode where the server's certificate comes from, or {@link Mode#NONE} for plain HTTP
 * @param certificateFile with {@link Mode#OPERATOR}: the PEM certificate chain, the server's certificate first
 * @param keyFile with {@link Mode#OPERATOR}: the PEM private key of that certificate (PKCS#8, PKCS#1 or SEC1)
 */
public record TlsConfig(Mode mode, Path certificateFile, Path keyFile) {

    /** Where the server's certificate comes from. */
    public enum Mode {
        /** A certificate authority in the data directory issues the server's certificate. */
        SELF_SIGNED,
        /** The operator's certificate and key files, reloaded when they change. */
        OPERATOR,
        /** Plain HTTP, for a proxy in front that terminates TLS. */
        NONE
    }

    /** The CA certificate a self-signed server writes to its data directory, for clients to trust. */
    public static final String CA_FILE = "ca.pem";

    public TlsConfig {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.OPERATOR && (certificateFile == null || keyFile == null)) {
            throw new IllegalArgumentException("An operator's certificate needs both its certificate and key files");
        }
        if (mode != Mode.OPERATOR && (certificateFile != null || keyFile != null)) {
            throw new IllegalArgumentException("Certificate files are only for an operator's certificate");
        }
    }

    public static TlsConfig none() {
        return new TlsConfig(Mode.NONE, null, null);
    }

    public static TlsConfig selfSigned() {
        return new TlsConfig(Mode.SELF_SIGNED, null, null);
    }

    public static TlsConfig operator(Path certificateFile, Path keyFile) {
        return new TlsConfig(Mode.OPERATOR, certificateFile, keyFile);
    }

    public boolean enabled() {
        return mode != Mode.NONE;
    }

    /** The URL scheme of the server's endpoint. */
    public String scheme() {
        return enabled() ? "https" : "http";
    }

    /**
     * The certificates a client of this server trusts it through: the CA certificate in the data directory, the
     * operator's chain, or null for plain HTTP.
     */
    public Path trustedCertificates(Path dataDir) {
        return switch (mode) {
            case SELF_SIGNED -> dataDir.resolve(CA_FILE);
            case OPERATOR -> certificateFile;
            case NONE -> null;
        };
    }
}
