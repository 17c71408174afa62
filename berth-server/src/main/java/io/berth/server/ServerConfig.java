package io.berth.server;

import io.berth.control.network.Cidr;
import io.berth.control.network.TaskNetworks;
import io.berth.server.tls.TlsConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a server runs.
 *
 * @param accountId the account to create on first start, or null for a random one
 * @param dev accept any credentials and allow {@code POST /_berth/reset}
 * @param store where the state is kept
 * @param masterKeyFile the key that seals secret values at rest, or null for {@value #MASTER_KEY_FILE} in the data
 *     directory; created on first start
 * @param pollEndpoint what DiscoverPollEndpoint answers, or null for the endpoint of the server (of the leader, among
 *     several nodes): an address in front of every node, for agents that keep the answer for hours
 * @param taskNetworkRange where the address blocks of awsvpc tasks' subnets come from; null for the default
 * @param tls whether the port speaks HTTPS and with which certificate; null for plain HTTP
 */
public record ServerConfig(String host, int port, Path dataDir, String region, String accountId, String partition,
        boolean dev, String publicEndpoint, StoreConfig store, Path masterKeyFile, String pollEndpoint,
        Cidr taskNetworkRange, TlsConfig tls) {

    public ServerConfig {
        taskNetworkRange = taskNetworkRange != null ? taskNetworkRange : TaskNetworks.DEFAULT_RANGE;
        tls = tls != null ? tls : TlsConfig.none();
    }

    /** A server speaking plain HTTP. */
    public ServerConfig(String host, int port, Path dataDir, String region, String accountId, String partition,
            boolean dev, String publicEndpoint, StoreConfig store, Path masterKeyFile, String pollEndpoint,
            Cidr taskNetworkRange) {
        this(host, port, dataDir, region, accountId, partition, dev, publicEndpoint, store, masterKeyFile, pollEndpoint,
                taskNetworkRange, null);
    }

    /** The same server with another TLS configuration. */
    public ServerConfig withTls(TlsConfig tls) {
        return new ServerConfig(host, port, dataDir, region, accountId, partition, dev, publicEndpoint, store,
                masterKeyFile, pollEndpoint, taskNetworkRange, tls);
    }

    /** A server whose awsvpc tasks' subnets come from the default range. */
    public ServerConfig(String host, int port, Path dataDir, String region, String accountId, String partition,
            boolean dev, String publicEndpoint, StoreConfig store, Path masterKeyFile, String pollEndpoint) {
        this(host, port, dataDir, region, accountId, partition, dev, publicEndpoint, store, masterKeyFile, pollEndpoint,
                null);
    }

    /** A server whose agents connect to the server itself. */
    public ServerConfig(String host, int port, Path dataDir, String region, String accountId, String partition,
            boolean dev, String publicEndpoint, StoreConfig store, Path masterKeyFile) {
        this(host, port, dataDir, region, accountId, partition, dev, publicEndpoint, store, masterKeyFile, null);
    }

    public static final String MASTER_KEY_FILE = "master.key";

    /** A server whose master key is {@value #MASTER_KEY_FILE} in the data directory. */
    public ServerConfig(String host, int port, Path dataDir, String region, String accountId, String partition,
            boolean dev, String publicEndpoint, StoreConfig store) {
        this(host, port, dataDir, region, accountId, partition, dev, publicEndpoint, store, null);
    }

    /** A server keeping its state in SQLite in the data directory. */
    public ServerConfig(String host, int port, Path dataDir, String region, String accountId, String partition,
            boolean dev, String publicEndpoint) {
        this(host, port, dataDir, region, accountId, partition, dev, publicEndpoint, StoreConfig.sqlite());
    }

    public static final int DEFAULT_PORT = 8773;

    /** Where the master key is. */
    public Path masterKey() {
        return masterKeyFile != null ? masterKeyFile : dataDir.resolve(MASTER_KEY_FILE);
    }

    /** The URL clients and agents use to reach this server. */
    public String endpoint(int boundPort) {
        if (publicEndpoint != null) {
            return publicEndpoint;
        }
        String shown = host == null || host.isEmpty() || "0.0.0.0".equals(host) ? "127.0.0.1" : host;
        // A URL on its scheme's default port names no port: the official agent takes the host and port of the
        // websocket URL it is given as the TLS server name, which only a name without a port satisfies.
        int defaultPort = "https".equals(tls.scheme()) ? 443 : 80;
        return tls.scheme() + "://" + shown + (boundPort == defaultPort ? "" : ":" + boundPort);
    }

    /**
     * The names, besides this host's own, that a self-signed server certificate must be valid for: the address the
     * server listens on and the hosts of the endpoints it gives out.
     */
    public List<String> certificateNames() {
        List<String> names = new ArrayList<>();
        if (host != null && !host.isBlank() && !"0.0.0.0".equals(host) && !"::".equals(host)) {
            names.add(host);
        }
        for (String endpoint : new String[] {publicEndpoint, pollEndpoint}) {
            String endpointHost = endpoint == null ? null : URI.create(endpoint).getHost();
            if (endpointHost != null) {
                names.add(endpointHost);
            }
        }
        return names;
    }

    /** The certificates clients trust this server through (such as {@code <data-dir>/ca.pem}); null without TLS. */
    public Path trustedCertificates() {
        return tls.trustedCertificates(dataDir);
    }
}
