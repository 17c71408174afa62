package io.berth.server.node;

import java.net.URI;
import java.time.Duration;
import io.berth.server.http.ForwardedOrigin;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A follower's handler: forwards every request to the leader as it came, {@code Host} included, so that the
 * leader verifies the client's SigV4 signature as if the request had reached it directly. Agents' websocket
 * upgrades are refused instead: an agent must hold its session with the leader, and a refusal sends it to
 * DiscoverPollEndpoint again.
 */
final class LeaderProxy extends ProxyHandler.Reverse {

    /** Longer than any API call takes; a leader paused longer than this gives the client a 504 to retry. */
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

    private final ForwardedOrigin origins;
    /** The leader's endpoint with its path, without a trailing slash, worked out once per leader. */
    private record Target(URI endpoint, String basePath) {
    }

    private volatile Target leader;
    private final SSLContext leaderTrust;

    /**
     * @param origins states to the leader where each request came from
     * @param leaderTrust what an HTTPS leader's certificate is checked against; null for the JVM's trust store
     */
    LeaderProxy(ForwardedOrigin origins, SSLContext leaderTrust) {
        super(request -> null);
        this.origins = origins;
        this.leaderTrust = leaderTrust;
    }

    /** Where requests go from now on; null while no node leads. */
    void leader(URI endpoint) {
        this.leader = endpoint == null ? null : new Target(endpoint,
                endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", ""));
    }

    URI leader() {
        Target target = leader;
        return target == null ? null : target.endpoint();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        URI target = leader();
        if (LeaderCheck.PATH.equals(Request.getPathInContext(request))) {
            NodeHandler.refuse(response, callback, "This Berth node does not lead"
                    + (target == null ? "; none does at the moment." : "; " + target + " does."));
            return true;
        }
        if (target == null) {
            NodeHandler.refuse(response, callback, "No Berth node leads at the moment; retry shortly.");
            return true;
        }
        if ("websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeader.UPGRADE))) {
            NodeHandler.refuse(response, callback, "This Berth node does not lead; agents connect to "
                    + target + " (ask DiscoverPollEndpoint).");
            return true;
        }
        return super.handle(request, response, callback);
    }

    @Override
    protected HttpURI rewriteHttpURI(Request request) {
        Target target = leader;
        HttpURI uri = request.getHttpURI();
        return HttpURI.build()
                .scheme(target.endpoint().getScheme())
                .host(target.endpoint().getHost())
                .port(target.endpoint().getPort())
                .path(target.basePath() + uri.getPath())
                .query(uri.getQuery());
    }

    @Override
    protected void copyRequestHeaders(Request clientToProxyRequest,
            org.eclipse.jetty.client.Request proxyToServerRequest) {
        super.copyRequestHeaders(clientToProxyRequest, proxyToServerRequest);
        // The signature covers Host: the leader must see the one the client sent.
        String host = clientToProxyRequest.getHeaders().get(HttpHeader.HOST);
        String origin = origins.header(Request.getRemoteAddr(clientToProxyRequest), clientToProxyRequest.isSecure(),
                clientToProxyRequest.getHeaders().get(HttpHeader.AUTHORIZATION));
        proxyToServerRequest.headers(headers -> {
            if (host != null) {
                headers.put(HttpHeader.HOST, host);
            }
            // Only this node's statement counts, never one the client sent.
            headers.put(ForwardedOrigin.HEADER, origin);
        });
    }

    @Override
    protected HttpClient newHttpClient() {
        ClientConnector connector = new ClientConnector();
        SslContextFactory.Client tls = new SslContextFactory.Client();
        if (leaderTrust != null) {
            tls.setSslContext(leaderTrust);
        }
        connector.setSslContextFactory(tls);
        return new HttpClient(new HttpClientTransportOverHTTP(connector));
    }

    @Override
    protected void configureHttpClient(HttpClient client) {
        super.configureHttpClient(client);
        client.setConnectTimeout(2_000);
        client.setIdleTimeout(LEADER_TIMEOUT.toMillis());
    }
}
