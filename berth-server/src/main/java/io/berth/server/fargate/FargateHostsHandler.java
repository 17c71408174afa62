package io.berth.server.fargate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.control.Scope;
import io.berth.control.instance.PoolHosts;
import io.berth.control.placement.Ledger;
import io.berth.model.EcsException;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.Identity;
import io.berth.server.auth.SigV4Verifier;
import io.berth.server.auth.SignedRequest;
import io.berth.server.node.NodesHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;

/**
 * {@code GET /_berth/fargate-hosts}, signed with SigV4 for service {@value NodesHandler#SIGNING_NAME} by an account's
 * root: the hosts of the account's Fargate pool in the signed region, with their resources and the tasks they run.
 * Only the leader answers; followers forward it like any request.
 */
public final class FargateHostsHandler extends Handler.Abstract {

    public static final String PATH = "/_berth/fargate-hosts";

    private final Authenticator authenticator;
    private final PoolHosts hosts;
    private final String partition;
    private final ObjectMapper json = new ObjectMapper();

    public FargateHostsHandler(Authenticator authenticator, PoolHosts hosts, String partition) {
        this.authenticator = authenticator;
        this.hosts = hosts;
        this.partition = partition;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!PATH.equals(Request.getPathInContext(request))) {
            return false;
        }
        try {
            if (!"GET".equals(request.getMethod())) {
                throw new EcsException("UnsupportedOperation", 405, "Use GET " + PATH + ".");
            }
            SignedRequest signed = new SignedRequest("GET", request.getHttpURI().getPath(),
                    request.getHttpURI().getQuery(), SignedRequest.headersOf(request.getHeaders()), new byte[0]);
            Identity identity = authenticator.authenticate(signed);
            SigV4Verifier.requireService(signed, NodesHandler.SIGNING_NAME);
            if (!identity.principalArn().endsWith(":root")) {
                throw EcsException.accessDenied("Only an account's root sees the hosts given to Fargate; "
                        + identity.principalArn() + " is not.");
            }
            Scope scope = new Scope(partition, identity.accountId(), identity.region());
            send(response, callback, 200, json.writeValueAsBytes(report(scope)));
        } catch (EcsException e) {
            ObjectNode error = json.createObjectNode().put("__type", e.code()).put("message", e.getMessage());
            send(response, callback, e.httpStatus(), error.toString().getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            ObjectNode error = json.createObjectNode().put("__type", "ServerException")
                    .put("message", "Cannot list the hosts given to Fargate.");
            send(response, callback, 500, error.toString().getBytes(StandardCharsets.UTF_8));
        }
        return true;
    }

    private ObjectNode report(Scope scope) {
        ObjectNode report = json.createObjectNode();
        report.put("region", scope.region());
        ArrayNode listed = report.putArray("hosts");
        for (ContainerInstance host : hosts.list(scope)) {
            ObjectNode entry = listed.addObject()
                    .put("containerInstanceArn", host.containerInstanceArn())
                    .put("status", host.status())
                    .put("agentConnected", Boolean.TRUE.equals(host.agentConnected()))
                    .put("registeredAt", host.registeredAt() == null ? null : host.registeredAt().toString())
                    .put("runningTasksCount", host.runningTasksCount())
                    .put("pendingTasksCount", host.pendingTasksCount());
            entry.putObject("registered")
                    .put("cpu", registered(host, Ledger.CPU))
                    .put("memory", registered(host, Ledger.MEMORY));
            entry.putObject("remaining")
                    .put("cpu", Ledger.remainingInteger(host, Ledger.CPU))
                    .put("memory", Ledger.remainingInteger(host, Ledger.MEMORY));
            if (host.versionInfo() != null) {
                entry.put("agentVersion", host.versionInfo().agentVersion());
            }
        }
        return report;
    }

    private static int registered(ContainerInstance host, String name) {
        return host.registeredResources().stream()
                .filter(r -> name.equals(r.name()) && r.integerValue() != null)
                .mapToInt(Resource::integerValue).findFirst().orElse(0);
    }

    private static void send(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
