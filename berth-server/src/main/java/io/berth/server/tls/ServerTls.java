package io.berth.server.tls;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The server's port as its configuration says: HTTPS (and WSS) with a self-signed or an operator's certificate, or plain HTTP. */
public final class ServerTls {

    private ServerTls() {
    }

    /**
     * A connector of {@code jetty} speaking HTTP/1.1 as {@code http} says, inside TLS unless {@code tls} is
     * {@link TlsConfig.Mode#NONE}; a client speaking plain HTTP to a TLS port gets no HTTP answer. Prepares the
     * certificate: with {@link TlsConfig.Mode#SELF_SIGNED}, the authority and server certificate in {@code dataDir}
     * for this host's names and {@code names}; with {@link TlsConfig.Mode#OPERATOR}, the operator's files, watched
     * while {@code jetty} runs. Everything of {@code http} is to be set before.
     */
    public static ServerConnector connector(Server jetty, HttpConfiguration http, TlsConfig tls, Path dataDir,
            Collection<String> names) {
        if (!tls.enabled()) {
            return new ServerConnector(jetty, new HttpConnectionFactory(http));
        }
        KeyMaterial material = tls.mode() == TlsConfig.Mode.SELF_SIGNED
                ? ServerCertificate.inDataDir(dataDir, SubjectNames.ofThisHost(names), Clock.systemUTC())
                : OperatorCertificate.load(tls.certificateFile(), tls.keyFile());
        SslContextFactory.Server context = new SslContextFactory.Server();
        context.setKeyStore(material.keyStore());
        context.setKeyStorePassword(KeyMaterial.KEY_STORE_PASSWORD);
        if (tls.mode() == TlsConfig.Mode.OPERATOR) {
            jetty.addBean(OperatorCertificate.watch(tls.certificateFile(), tls.keyFile(), context));
        }
        HttpConfiguration https = new HttpConfiguration(http);
        // Which names a client may use is the client's to check against the certificate; the server answers any.
        https.addCustomizer(new SecureRequestCustomizer(false));
        return new ServerConnector(jetty, new SslConnectionFactory(context, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
    }
}
