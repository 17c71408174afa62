package io.berth.server.fargate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.control.Scope;
import io.berth.control.instance.PoolHosts;
import io.berth.control.placement.Ledger;
import io.berth.model.EcsException;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.Identity;
import io.berth.server.http.OperatorHandler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;

/**
 * {@code GET /_berth/fargate-hosts}, signed with SigV4 for service {@value OperatorHandler#SIGNING_NAME} by an
 * account's root: the hosts of the account's Fargate pool in the signed region, with their resources and the tasks
 * they run. Only the leader answers; followers forward it like any request.
 */
public final class FargateHostsHandler extends OperatorHandler {

    public static final String PATH = "/_berth/fargate-hosts";

    private final PoolHosts hosts;
    private final String partition;

    public FargateHostsHandler(Authenticator authenticator, PoolHosts hosts, String partition) {
        super(PATH, authenticator);
        this.hosts = hosts;
        this.partition = partition;
    }

    @Override
    protected ObjectNode answer(Identity root) {
        return report(new Scope(partition, root.accountId(), root.region()));
    }

    @Override
    protected EcsException notRoot(Identity signer) {
        return EcsException.accessDenied("Only an account's root sees the hosts given to Fargate; "
                + signer.principalArn() + " is not.");
    }

    @Override
    protected void failed(Response response, Callback callback, Exception failure) {
        send(response, callback, 500, error("ServerException", "Cannot list the hosts given to Fargate."));
    }

    private ObjectNode report(Scope scope) {
        ObjectNode report = JsonNodeFactory.instance.objectNode();
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
}
