package io.berth.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCertificateTest {

    private static final Clock NOW = Clock.systemUTC();

    @TempDir
    Path dataDir;

    @Test
    void aFirstStartWritesTheCaCertificateAndKeepsBothKeysFromOtherUsers() throws Exception {
        ServerCertificate.inDataDir(dataDir, names("berth.example.com"), NOW);

        assertThat(Pem.readCertificates(dataDir.resolve(TlsConfig.CA_FILE))).hasSize(1);
        assertThat(permissions(dataDir.resolve(CertificateAuthority.KEY_FILE))).isEqualTo("rw-------");
        assertThat(permissions(dataDir.resolve(ServerCertificate.KEY_FILE))).isEqualTo("rw-------");
    }

    @Test
    void theServerCertificateIsIssuedByTheCaOfCaPemForServerUseOnly() throws Exception {
        KeyMaterial material = ServerCertificate.inDataDir(dataDir, names("berth.example.com"), NOW);

        X509Certificate ca = Pem.readCertificates(dataDir.resolve(TlsConfig.CA_FILE)).getFirst();
        material.certificate().verify(ca.getPublicKey());
        assertThat(material.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(material.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(material.chain()).containsExactly(material.certificate(), ca);
    }

    @Test
    void theCertificateNamesLocalhostTheLoopbacksThisHostAndThePublicEndpoint() throws Exception {
        SubjectNames names = SubjectNames.ofThisHost(List.of("berth.example.com", "203.0.113.7", "[2001:db8::7]"));

        KeyMaterial material = ServerCertificate.inDataDir(dataDir, names, NOW);

        SubjectNames certified = SubjectNames.of(material.certificate());
        assertThat(certified.dnsNames()).contains("localhost", "berth.example.com");
        assertThat(certified.ipAddresses()).contains("127.0.0.1", "0:0:0:0:0:0:0:1", "203.0.113.7",
                "2001:db8:0:0:0:0:0:7");
        InetAddress self = InetAddress.getLocalHost();
        assertThat(certified.dnsNames()).contains(self.getHostName().toLowerCase(java.util.Locale.ROOT));
        assertThat(certified.ipAddresses()).contains(self.getHostAddress());
    }

    @Test
    void aLaterStartReusesTheCaTheKeyAndTheCertificate() {
        KeyMaterial first = ServerCertificate.inDataDir(dataDir, names("berth.example.com"), NOW);

        KeyMaterial again = ServerCertificate.inDataDir(dataDir, names("berth.example.com"), NOW);

        assertThat(again.chain()).isEqualTo(first.chain());
        assertThat(again.key()).isEqualTo(first.key());
    }

    @Test
    void changedNamesGetANewCertificateFromTheSameCaForTheSameKey() {
        KeyMaterial first = ServerCertificate.inDataDir(dataDir, names("berth.example.com"), NOW);

        KeyMaterial renamed = ServerCertificate.inDataDir(dataDir, names("berth.example.org"), NOW);

        assertThat(renamed.certificate()).isNotEqualTo(first.certificate());
        assertThat(SubjectNames.of(renamed.certificate()).dnsNames()).containsExactly("berth.example.org");
        assertThat(renamed.chain().getLast()).isEqualTo(first.chain().getLast());
        assertThat(renamed.key()).isEqualTo(first.key());
    }

    @Test
    void aCertificateNearItsEndIsReplacedOnStart() {
        KeyMaterial first = ServerCertificate.inDataDir(dataDir, names("berth.example.com"), NOW);
        Instant nearTheEnd = first.certificate().getNotAfter().toInstant().minus(ServerCertificate.RENEWAL)
                .plusSeconds(60);

        KeyMaterial renewed = ServerCertificate.inDataDir(dataDir, names("berth.example.com"),
                Clock.fixed(nearTheEnd, ZoneOffset.UTC));

        assertThat(renewed.certificate().getNotAfter()).isAfter(first.certificate().getNotAfter());
        assertThat(renewed.chain().getLast()).isEqualTo(first.chain().getLast());
    }

    @Test
    void aCertificateOfAnotherCaIsReplaced(@TempDir Path elsewhere) throws Exception {
        ServerCertificate.inDataDir(elsewhere, names("berth.example.com"), NOW);
        Files.copy(elsewhere.resolve(ServerCertificate.CERTIFICATE_FILE),
                dataDir.resolve(ServerCertificate.CERTIFICATE_FILE));
        Files.copy(elsewhere.resolve(ServerCertificate.KEY_FILE), dataDir.resolve(ServerCertificate.KEY_FILE));

        KeyMaterial material = ServerCertificate.inDataDir(dataDir, names("berth.example.com"), NOW);

        X509Certificate ca = Pem.readCertificates(dataDir.resolve(TlsConfig.CA_FILE)).getFirst();
        material.certificate().verify(ca.getPublicKey());
    }

    @Test
    void addressesCompareInOneSpellingAndNamesWithoutCase() {
        assertThat(SubjectNames.of(List.of("::1", "Berth.Example.com", "fe80::1%eth0")))
                .isEqualTo(SubjectNames.of(List.of("[0:0:0:0:0:0:0:1]", "berth.example.com", "fe80::1")));
    }

    private static SubjectNames names(String host) {
        return SubjectNames.of(List.of(host, "127.0.0.1"));
    }

    private static String permissions(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
