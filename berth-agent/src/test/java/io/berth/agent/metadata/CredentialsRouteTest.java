package io.berth.agent.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The host rules that route 169.254.170.2 to the agent: only its own, and all gone when it stops. Needs root and iptables. */
class CredentialsRouteTest {

    private static final String BRIDGE = "docker0";
    private static final Path ROUTE_LOCALNET = Path.of("/proc/sys/net/ipv4/conf", BRIDGE, "route_localnet");

    @BeforeAll
    static void requireRootAndIptables() {
        String missing = !"root".equals(System.getProperty("user.name")) ? "the tests do not run as root"
                : !Files.isExecutable(Path.of("/usr/sbin/iptables")) ? "iptables is not installed"
                : !Files.exists(ROUTE_LOCALNET) ? "there is no " + BRIDGE + " bridge" : null;
        if (missing != null) {
            System.out.println("Skipping the credentials route tests: " + missing + ".");
        }
        Assumptions.assumeTrue(missing == null, missing);
    }

    @Test
    void installingRoutesTheEcsAddressAndClosingPutsEverythingBack() throws Exception {
        List<String> natBefore = iptables("-t", "nat", "-S").lines().toList();
        String localnetBefore = Files.readString(ROUTE_LOCALNET).strip();

        try (CredentialsRoute route = CredentialsRoute.tryInstall(40123, BRIDGE)) {
            assertThat(iptables("-t", "nat", "-S", CredentialsRoute.CHAIN))
                    .contains("-d 169.254.170.2/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 127.0.0.1:40123");
            assertThat(iptables("-t", "nat", "-S", "PREROUTING")).contains("-j " + CredentialsRoute.CHAIN);
            assertThat(iptables("-t", "nat", "-S", "OUTPUT")).contains("-j " + CredentialsRoute.CHAIN);
            assertThat(Files.readString(ROUTE_LOCALNET).strip()).isEqualTo("1");
        }

        assertThat(iptables("-t", "nat", "-S")).doesNotContain(CredentialsRoute.CHAIN);
        assertThat(iptables("-t", "filter", "-S")).doesNotContain(CredentialsRoute.CHAIN);
        assertThat(iptables("-t", "nat", "-S").lines().toList()).as("the other rules stay")
                .containsAll(natBefore.stream().filter(l -> l.startsWith("-N") || l.startsWith("-P")).toList());
        assertThat(Files.readString(ROUTE_LOCALNET).strip()).isEqualTo(localnetBefore);
    }

    @Test
    void saysWhatItChangesOnTheHostBeforeChangingIt() {
        ListAppender<ILoggingEvent> said = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(CredentialsRoute.class);
        said.start();
        logger.addAppender(said);
        try (CredentialsRoute route = CredentialsRoute.tryInstall(40126, BRIDGE)) {
            assertThat(said.list).extracting(ILoggingEvent::getFormattedMessage).first().asString()
                    .startsWith("Changing this host's network for task credentials: iptables chain "
                            + CredentialsRoute.CHAIN)
                    .contains("169.254.170.2:80 to 127.0.0.1:40126", ROUTE_LOCALNET.toString());
            assertThat(said.list).last().extracting(ILoggingEvent::getFormattedMessage).asString()
                    .startsWith("Task containers reach the credentials endpoint");
        } finally {
            logger.detachAppender(said);
        }
    }

    @Test
    void rulesLeftByAKilledRunAreReplacedAndTheOriginalRouteLocalnetComesBack() throws Exception {
        String localnetBefore = Files.readString(ROUTE_LOCALNET).strip();

        // Not closed: as if the agent had been killed.
        CredentialsRoute.tryInstall(40124, BRIDGE);
        try (CredentialsRoute next = CredentialsRoute.tryInstall(40125, BRIDGE)) {
            String chain = iptables("-t", "nat", "-S", CredentialsRoute.CHAIN);
            assertThat(chain).contains("127.0.0.1:40125").doesNotContain("127.0.0.1:40124");
            assertThat(iptables("-t", "nat", "-S", "PREROUTING").lines()
                    .filter(l -> l.contains(CredentialsRoute.CHAIN)).count()).isEqualTo(1);
        }

        assertThat(iptables("-t", "nat", "-S")).doesNotContain(CredentialsRoute.CHAIN);
        assertThat(iptables("-t", "filter", "-S")).doesNotContain(CredentialsRoute.CHAIN);
        assertThat(Files.readString(ROUTE_LOCALNET).strip()).isEqualTo(localnetBefore);
    }

    private static String iptables(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/sbin/iptables", "-w", "5"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }
}
