package io.berth.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.agent.tls.ServerTrust;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {

    @TempDir
    Path dataDir;

    private Server jetty;

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
    }

    @Test
    void aSelfSignedServerAnswersHttpsToClientsTrustingItsCaPem() throws Exception {
        int port = start(TlsConfig.selfSigned());

        HttpResponse<String> response = get(ServerTrust.withCaBundle(dataDir.resolve(TlsConfig.CA_FILE)), port);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("secure=true");
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefusedTheHandshake() throws Exception {
        int port = start(TlsConfig.selfSigned());

        assertThatThrownBy(() -> get(ServerTrust.jvmDefault(), port)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpToTheTlsPortGetsNoHttpAnswer() throws Exception {
        int port = start(TlsConfig.selfSigned());

        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(5), StandardCharsets.ISO_8859_1);
            assertThat(answer).doesNotStartWith("HTTP");
        }
    }

    @Test
    void plainHttpIsServedWhenTlsIsOff() throws Exception {
        jetty = new Server();
        ServerConnector connector = ServerTls.connector(jetty, new HttpConfiguration(), TlsConfig.none(), dataDir,
                List.of());
        int port = serve(connector);

        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("secure=false");
        }
        assertThat(dataDir.resolve(TlsConfig.CA_FILE)).doesNotExist();
    }

    @Test
    void anOperatorsCertificateIsServedAndServedAgainWhenItsFilesChange(@TempDir Path issuer) throws Exception {
        Path first = issuer.resolve("first");
        Path second = issuer.resolve("second");
        KeyMaterial before = issue(first);
        KeyMaterial after = issue(second);
        Path certificate = dataDir.resolve("operator.pem");
        Path key = dataDir.resolve("operator.key");
        install(first, certificate, key);
        int port = start(TlsConfig.operator(certificate, key));
        ServerTrust trust = ServerTrust.withCaBundle(first.resolve(TlsConfig.CA_FILE));
        assertThat(servedCertificate(trust, port)).isEqualTo(before.certificate());

        install(second, certificate, key);

        ServerTrust renewed = ServerTrust.withCaBundle(second.resolve(TlsConfig.CA_FILE));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> servedCertificate(renewed, port).equals(after.certificate()));
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused(@TempDir Path issuer) {
        issue(issuer.resolve("first"));
        issue(issuer.resolve("second"));

        assertThatThrownBy(() -> OperatorCertificate.load(issuer.resolve("first/" + ServerCertificate.CERTIFICATE_FILE),
                issuer.resolve("second/" + ServerCertificate.KEY_FILE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to the certificate");
    }

    private static KeyMaterial issue(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ServerCertificate.inDataDir(dir, SubjectNames.of(List.of("localhost", "127.0.0.1")),
                Clock.systemUTC());
    }

    private static void install(Path issued, Path certificate, Path key) throws Exception {
        Files.copy(issued.resolve(ServerCertificate.KEY_FILE), key, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(issued.resolve(ServerCertificate.CERTIFICATE_FILE), certificate,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private int start(TlsConfig tls) throws Exception {
        jetty = new Server();
        return serve(ServerTls.connector(jetty, new HttpConfiguration(), tls, dataDir, List.of()));
    }

    private int serve(ServerConnector connector) throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Sink.write(response, true, "secure=" + request.isSecure(), callback);
                return true;
            }
        });
        jetty.start();
        return connector.getLocalPort();
    }

    private static HttpResponse<String> get(ServerTrust trust, int port) throws Exception {
        try (HttpClient client = trust.httpClient().build()) {
            return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static X509Certificate servedCertificate(ServerTrust trust, int port) throws Exception {
        return (X509Certificate) get(trust, port).sslSession().orElseThrow().getPeerCertificates()[0];
    }
}
