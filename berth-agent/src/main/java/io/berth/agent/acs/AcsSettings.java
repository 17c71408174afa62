package io.berth.agent.acs;

import io.berth.agent.tls.ServerTrust;
import java.time.Duration;

/**
 * The identity and timings of an ACS session. {@code cluster} is the configured cluster string (sent as
 * {@code clusterArn}); {@code idleTimeout} is how long the session waits for any message before reconnecting
 * (plus up to as much again of jitter); {@code connectionLifetime} is when the agent itself recycles the socket;
 * {@code serverTrust} is what the server's certificate is checked against over WSS (null: the JVM's trust store).
 */
public record AcsSettings(
        String cluster,
        String containerInstanceArn,
        String region,
        String agentVersion,
        String agentHash,
        String dockerVersion,
        Duration idleTimeout,
        Duration connectionLifetime,
        Duration firstBackoff,
        Duration maximumBackoff,
        Duration deregisteredWait,
        ServerTrust serverTrust) {

    public AcsSettings {
        serverTrust = serverTrust == null ? ServerTrust.jvmDefault() : serverTrust;
    }

    /** Settings trusting the server through the JVM's trust store. */
    public AcsSettings(String cluster, String containerInstanceArn, String region, String agentVersion,
            String agentHash, String dockerVersion, Duration idleTimeout, Duration connectionLifetime,
            Duration firstBackoff, Duration maximumBackoff, Duration deregisteredWait) {
        this(cluster, containerInstanceArn, region, agentVersion, agentHash, dockerVersion, idleTimeout,
                connectionLifetime, firstBackoff, maximumBackoff, deregisteredWait, null);
    }

    public AcsSettings withServerTrust(ServerTrust trust) {
        return new AcsSettings(cluster, containerInstanceArn, region, agentVersion, agentHash, dockerVersion,
                idleTimeout, connectionLifetime, firstBackoff, maximumBackoff, deregisteredWait, trust);
    }

    public static AcsSettings defaults(String cluster, String containerInstanceArn, String region, String agentVersion,
            String agentHash, String dockerVersion) {
        return new AcsSettings(cluster, containerInstanceArn, region, agentVersion, agentHash, dockerVersion,
                Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofMillis(250), Duration.ofMinutes(2),
                Duration.ofHours(1));
    }
}
