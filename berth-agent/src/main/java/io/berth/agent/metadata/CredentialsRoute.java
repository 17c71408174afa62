package io.berth.agent.metadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the task metadata and credentials endpoint reachable from task containers at the ECS
 * address {@code 169.254.170.2:80}, which the AWS SDKs use with {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI},
 * the way ecs-init sets up a host for the official agent: a DNAT of that address to the endpoint's
 * loopback port, and {@code route_localnet} on the Docker bridge so that the bridge may route to
 * loopback. Needs root and {@code iptables}.
 *
 * <p>Every rule lives in chains of its own ({@value #CHAIN}) reached by jumps tagged with the comment
 * {@value #COMMENT}, so removing them leaves everyone else's rules alone. As ecs-init does, traffic
 * from outside the host to loopback addresses that was not translated here is dropped, so that the
 * bridge's {@code route_localnet} opens nothing else.
 */
public final class CredentialsRoute implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialsRoute.class);

    public static final String ADDRESS = "169.254.170.2";
    static final String CHAIN = "BERTH-TASK-CREDENTIALS";
    static final String COMMENT = "berth-task-credentials";
    private static final List<String> IPTABLES = List.of("/usr/sbin/iptables", "/sbin/iptables", "/usr/bin/iptables");

    private final String iptables;
    private final Path routeLocalnet;
    private final String previousRouteLocalnet;

    private CredentialsRoute(String iptables, Path routeLocalnet, String previousRouteLocalnet) {
        this.iptables = iptables;
        this.routeLocalnet = routeLocalnet;
        this.previousRouteLocalnet = previousRouteLocalnet;
    }

    /**
     * Routes {@code 169.254.170.2:80} to {@code 127.0.0.1:port}; empty (with a log line saying why)
     * when this host does not let the agent do it.
     *
     * @param bridge the Docker bridge task containers sit on, usually {@code docker0}
     */
    public static Optional<CredentialsRoute> install(int port, String bridge) {
        try {
            return Optional.of(tryInstall(port, bridge));
        } catch (IllegalStateException e) {
            LOG.warn("Task containers cannot reach the credentials endpoint at {}: {}. Run the agent as root on a "
                    + "host with iptables, or route {}:80 to 127.0.0.1:{} yourself.", ADDRESS, e.getMessage(), ADDRESS,
                    port);
            return Optional.empty();
        }
    }

    static CredentialsRoute tryInstall(int port, String bridge) {
        String iptables = IPTABLES.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException("iptables is not installed"));
        Path routeLocalnet = Path.of("/proc/sys/net/ipv4/conf", bridge, "route_localnet");
        if (!Files.exists(routeLocalnet)) {
            throw new IllegalStateException("there is no network interface " + bridge);
        }
        String current;
        try {
            current = Files.readString(routeLocalnet).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + routeLocalnet + ": " + e.getMessage());
        }
        CredentialsRoute probe = new CredentialsRoute(iptables, routeLocalnet, current);
        // A run that was killed left its rules and its route_localnet: the rules remember the value before it.
        String previous = probe.recordedRouteLocalnet(bridge).orElse(current);
        CredentialsRoute route = new CredentialsRoute(iptables, routeLocalnet, previous);
        // Said before it happens: these change the host's firewall and kernel settings, not only the agent's.
        LOG.info("Changing this host's network for task credentials: iptables chain {} (nat and filter tables) routes "
                + "{}:80 to 127.0.0.1:{}, and {} becomes 1, all undone when the agent stops", CHAIN, ADDRESS, port,
                routeLocalnet);
        try {
            route.removeRules();
            route.addRules(port, bridge);
            Files.writeString(routeLocalnet, "1");
        } catch (IOException | IllegalStateException e) {
            route.close();
            throw new IllegalStateException(e instanceof IOException ? "cannot write " + routeLocalnet + ": "
                    + e.getMessage() : e.getMessage());
        }
        LOG.info("Task containers reach the credentials endpoint at {}:80 (DNAT to 127.0.0.1:{}, chain {})", ADDRESS,
                port, CHAIN);
        return route;
    }

    /** The bridge's route_localnet before this agent's rules, as a run that did not remove them recorded it. */
    private Optional<String> recordedRouteLocalnet(String bridge) {
        String marker = bridge + " route_localnet was ";
        List<String> command = new ArrayList<>(List.of(iptables, "-w", "5", "-t", "filter", "-S", CHAIN));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String rules = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            int at = rules.indexOf(marker);
            return at < 0 ? Optional.empty()
                    : Optional.of(rules.substring(at + marker.length(), at + marker.length() + 1));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void addRules(int port, String bridge) {
        iptables("-t", "nat", "-N", CHAIN);
        iptables("-t", "nat", "-A", CHAIN, "-d", ADDRESS + "/32", "-p", "tcp", "--dport", "80", "-j", "DNAT",
                "--to-destination", "127.0.0.1:" + port);
        iptables(jump("nat", "-I", "PREROUTING", "-d", ADDRESS + "/32", "-p", "tcp", "--dport", "80"));
        iptables(jump("nat", "-I", "OUTPUT", "-d", ADDRESS + "/32", "-p", "tcp", "--dport", "80"));
        iptables("-t", "filter", "-N", CHAIN);
        iptables("-t", "filter", "-A", CHAIN, "!", "-i", "lo", "-d", "127.0.0.0/8", "-m", "conntrack", "!",
                "--ctstate", "RELATED,ESTABLISHED,DNAT", "-m", "comment", "--comment",
                bridge + " route_localnet was " + previousRouteLocalnet, "-j", "DROP");
        iptables(jump("filter", "-I", "INPUT"));
    }

    /** Removes this agent's chains and the jumps to them, whatever a crashed run left. */
    private void removeRules() {
        for (String[] hook : new String[][] {
                {"nat", "PREROUTING", "-d", ADDRESS + "/32", "-p", "tcp", "--dport", "80"},
                {"nat", "OUTPUT", "-d", ADDRESS + "/32", "-p", "tcp", "--dport", "80"},
                {"filter", "INPUT"}}) {
            List<String> match = new ArrayList<>(List.of(hook).subList(2, hook.length));
            String[] check = jump(hook[0], "-C", hook[1], match.toArray(String[]::new));
            String[] delete = jump(hook[0], "-D", hook[1], match.toArray(String[]::new));
            while (run(check) == 0) {
                iptables(delete);
            }
        }
        for (String table : List.of("nat", "filter")) {
            if (run("-t", table, "-L", CHAIN, "-n") == 0) {
                iptables("-t", table, "-F", CHAIN);
                iptables("-t", table, "-X", CHAIN);
            }
        }
    }

    private static String[] jump(String table, String action, String builtIn, String... match) {
        List<String> arguments = new ArrayList<>(List.of("-t", table, action, builtIn));
        arguments.addAll(List.of(match));
        arguments.addAll(List.of("-m", "comment", "--comment", COMMENT, "-j", CHAIN));
        return arguments.toArray(String[]::new);
    }

    private void iptables(String... arguments) {
        if (run(arguments) != 0) {
            throw new IllegalStateException("iptables " + String.join(" ", arguments) + " failed");
        }
    }

    private int run(String... arguments) {
        List<String> command = new ArrayList<>(List.of(iptables, "-w", "5"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            if (process.exitValue() != 0) {
                LOG.debug("{} answered {}: {}", String.join(" ", command), process.exitValue(), output.strip());
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run iptables: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running iptables");
        }
    }

    /**
     * Lets the containers on another bridge, such as an awsvpc subnet's, reach the endpoint too: turns on that
     * bridge's {@code route_localnet} (the DNAT and the drop rule hold for every interface already).
     */
    public void allowFrom(String bridge) {
        if (!bridge.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("Not a network interface name: " + bridge);
        }
        Path bridgeRouteLocalnet = Path.of("/proc/sys/net/ipv4/conf", bridge, "route_localnet");
        try {
            if (!Files.readString(bridgeRouteLocalnet).strip().equals("1")) {
                Files.writeString(bridgeRouteLocalnet, "1");
            }
        } catch (IOException e) {
            LOG.warn("Containers on {} cannot reach the credentials endpoint: cannot write {}: {}", bridge,
                    bridgeRouteLocalnet, e.getMessage());
        }
    }

    /** Removes the rules and puts the bridge's {@code route_localnet} back as it was. */
    @Override
    public void close() {
        try {
            removeRules();
        } catch (IllegalStateException e) {
            LOG.warn("Removing the credentials endpoint rules (chain {}) failed: {}", CHAIN, e.getMessage());
        }
        try {
            Files.writeString(routeLocalnet, previousRouteLocalnet);
        } catch (IOException e) {
            LOG.warn("Cannot restore {}: {}", routeLocalnet, e.getMessage());
        }
    }
}
