package io.berth.agent.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The certificate authorities the agent trusts the control plane (and AWS) through: the JVM's trust store, plus
 * the certificates of a CA bundle such as a Berth server's {@code ca.pem}. Every client the agent opens to its
 * endpoint, HTTPS or WSS, is made here.
 */
public final class ServerTrust {

    private final Path caBundle;
    private final TrustManager[] trustManagers;
    private final SSLContext context;

    private ServerTrust(Path caBundle, TrustManager[] trustManagers) {
        this.caBundle = caBundle;
        this.trustManagers = trustManagers.clone();
        try {
            this.context = SSLContext.getInstance("TLS");
            this.context.init(null, this.trustManagers, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make a TLS context", e);
        }
    }

    /** The JVM's trust store alone. */
    public static ServerTrust jvmDefault() {
        return new ServerTrust(null, trustManagers(null));
    }

    /** The JVM's trust store and every certificate of a PEM file; fails at once when the file holds none. */
    public static ServerTrust withCaBundle(Path pemFile) {
        List<X509Certificate> bundle = readCertificates(pemFile);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate certificate : defaultTrust().getAcceptedIssuers()) {
                store.setCertificateEntry("jvm-" + n++, certificate);
            }
            for (X509Certificate certificate : bundle) {
                store.setCertificateEntry("bundle-" + n++, certificate);
            }
            return new ServerTrust(pemFile, trustManagers(store));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot trust the certificates of " + pemFile, e);
        }
    }

    /** The CA bundle trusted besides the JVM's trust store, or null. */
    public Path caBundle() {
        return caBundle;
    }

    /** The trust managers, for HTTP clients that take those rather than a context (a copy of the array). */
    public TrustManager[] trustManagers() {
        return trustManagers.clone();
    }

    public SSLContext sslContext() {
        return context;
    }

    /** An HTTP client for an AWS SDK client that trusts as this does. */
    public SdkHttpClient sdkHttpClient() {
        return UrlConnectionHttpClient.builder().tlsTrustManagersProvider(this::trustManagers).build();
    }

    /** A builder of JDK HTTP (and websocket) clients that trust as this does. */
    public HttpClient.Builder httpClient() {
        return HttpClient.newBuilder().sslContext(context);
    }

    private static List<X509Certificate> readCertificates(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : read) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("No PEM certificate in " + pemFile);
            }
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the CA bundle " + pemFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The CA bundle " + pemFile + " holds no readable certificate", e);
        }
    }

    private static X509TrustManager defaultTrust() {
        for (TrustManager manager : trustManagers(null)) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("The JVM has no X.509 trust manager");
    }

    private static TrustManager[] trustManagers(KeyStore store) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load the JVM's trust store", e);
        }
    }
}
