package io.berth.bench;

import io.berth.sim.AgentProfile;
import io.berth.sim.Fleet;
import io.berth.sim.SimulatedAgent;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * Agent sessions on one server: a fleet of simulated agents, each with its ACS and its telemetry session,
 * connects and stays connected, heartbeating and publishing telemetry, for a while. Reports how fast they connected, whether any session dropped, and, given the server's
 * process id on this machine, the server's resident memory before and with the sessions and the CPU it
 * spent holding them.
 *
 * <p>{@code java -cp ... io.berth.bench.SessionsBench --endpoint URL [--server-pid PID --instances 5000
 * --hold 60 --access-key K --secret-key S --region us-east-1]}
 */
public final class SessionsBench {

    /** What to measure; {@code serverPid} 0 leaves out the server's memory and CPU. */
    public record Options(String endpoint, String region, String accessKeyId, String secretAccessKey, int instances,
            Duration hold, long serverPid) {
    }

    /**
     * The figures of one run; memory in MiB and CPU as a share of one core, NaN when the server's process was not
     * given.
     */
    public record Result(int instances, double connectSeconds, int connectedAtEnd, int reconnects,
            int fewestHeartbeats, double holdSeconds, double idleResidentMiB, double residentMiB,
            double holdCpuShare, double simulatorResidentMiB, double simulatorLiveHeapMiB) {

        public double kibPerSession() {
            return (residentMiB - idleResidentMiB) * 1024 / instances;
        }

        public String text() {
            return """
                    agents connected (ACS + telemetry)  %d in %.2f s (%.0f/s)
                    held                                %.0f s: %d still connected, %d reconnects, \
                    every agent heard at least %d heartbeats
                    server resident memory              %.0f MiB before the fleet, %.0f MiB with it \
                    (%.1f KiB per session over the idle server)
                    server CPU while holding            %.1f %% of one core
                    simulator resident memory           %.0f MiB; heap in use after a collection %.0f MiB \
                    (%.1f KiB per agent)
                    """.formatted(instances, connectSeconds, instances / connectSeconds, holdSeconds, connectedAtEnd,
                    reconnects, fewestHeartbeats, idleResidentMiB, residentMiB, kibPerSession(), holdCpuShare * 100,
                    simulatorResidentMiB, simulatorLiveHeapMiB, simulatorLiveHeapMiB * 1024 / instances);
        }
    }

    private SessionsBench() {
    }

    public static Result run(Options options) throws InterruptedException {
        String cluster = "bench-sessions-" + Long.toHexString(System.nanoTime());
        try (AsyncEcs client = new AsyncEcs(options.endpoint(), options.region(), options.accessKeyId(),
                options.secretAccessKey(), 4)) {
            client.ecs.createCluster(r -> r.clusterName(cluster)).join();
        }
        double idle = Processes.residentMiB(options.serverPid());
        long began = System.nanoTime();
        try (Fleet fleet = Fleet.start(options.endpoint(),
                AwsBasicCredentials.create(options.accessKeyId(), options.secretAccessKey()), options.region(), cluster,
                options.instances(), AgentProfile.standard().withTelemetry(true))) {
            double connectSeconds = (System.nanoTime() - began) / 1e9;
            OptionalLong cpuBefore = Processes.cpuNanos(options.serverPid());
            long holdStart = System.nanoTime();
            Thread.sleep(options.hold().toMillis());
            double holdSeconds = (System.nanoTime() - holdStart) / 1e9;
            OptionalLong cpuAfter = Processes.cpuNanos(options.serverPid());
            double resident = Processes.residentMiB(options.serverPid());
            List<SimulatedAgent> agents = fleet.agents();
            return new Result(options.instances(), connectSeconds,
                    (int) agents.stream().filter(SimulatedAgent::isConnected).count(),
                    agents.stream().mapToInt(a -> a.connections() - 1).sum(),
                    agents.stream().mapToInt(SimulatedAgent::heartbeatsReceived).min().orElse(0),
                    holdSeconds, idle, resident,
                    cpuBefore.isPresent() && cpuAfter.isPresent()
                            ? (cpuAfter.getAsLong() - cpuBefore.getAsLong()) / 1e9 / holdSeconds : Double.NaN,
                    Processes.residentMiB(ProcessHandle.current().pid()), liveHeapMiB());
        }
    }

    private static double liveHeapMiB() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return (runtime.totalMemory() - runtime.freeMemory()) / (1024.0 * 1024.0);
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Options options = new Options(
                args.get("endpoint", "http://127.0.0.1:8773"),
                args.get("region", System.getenv().getOrDefault("AWS_DEFAULT_REGION", "us-east-1")),
                args.get("access-key", System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", "bench")),
                args.get("secret-key", System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", "bench")),
                args.getInt("instances", 5000),
                Duration.ofSeconds(args.getInt("hold", 60)),
                Long.parseLong(args.get("server-pid", "0")));
        System.out.println("Sessions benchmark: " + options.instances() + " simulated agents on " + options.endpoint()
                + ", held " + options.hold().toSeconds() + " s");
        System.out.print(run(options).text());
        System.exit(0);
    }
}
