package io.berth.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Bridge networks through docker-java. */
final class DockerBridgeNetworks implements BridgeNetworks {

    /** The network option that names the host interface; without it Docker calls it {@code br-<id prefix>}. */
    private static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";

    private final DockerClient client;

    DockerBridgeNetworks(DockerClient client) {
        this.client = client;
    }

    @Override
    public void create(String name, String subnet, String gateway, Map<String, String> labels) {
        try {
            client.createNetworkCmd().withName(name).withDriver("bridge").withCheckDuplicate(true)
                    .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet)
                            .withGateway(gateway)))
                    .withLabels(labels).exec();
        } catch (ConflictException e) {
            // made by someone else in the meantime
        } catch (DockerException e) {
            // a daemon that refuses a duplicate by another status still has the network
            if (inspect(name).isEmpty()) {
                throw DockerRuntime.failure("create network " + name, e);
            }
        }
    }

    @Override
    public Optional<BridgeNetwork> inspect(String name) {
        Network network;
        try {
            network = client.inspectNetworkCmd().withNetworkId(name).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (DockerException e) {
            throw DockerRuntime.failure("inspect network " + name, e);
        }
        if (!name.equals(network.getName())) {
            // Docker also matches on a prefix of the id
            return Optional.empty();
        }
        Map<String, String> options = network.getOptions() == null ? Map.of() : network.getOptions();
        String bridge = options.getOrDefault(BRIDGE_NAME_OPTION, "br-" + network.getId().substring(0, 12));
        return Optional.of(new BridgeNetwork(network.getId(), network.getName(), bridge,
                network.getLabels() == null ? Map.of() : network.getLabels(),
                network.getContainers() == null ? List.of() : List.copyOf(network.getContainers().keySet())));
    }

    @Override
    public boolean remove(String name) {
        try {
            client.removeNetworkCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return true;
        } catch (DockerException e) {
            if (e.getHttpStatus() == 403 || e.getHttpStatus() == 409) {
                // "has active endpoints": a container joined it in the meantime
                return false;
            }
            throw DockerRuntime.failure("remove network " + name, e);
        }
    }

    @Override
    public List<String> namesByLabel(String key, String value) {
        try {
            return client.listNetworksCmd().withFilter("label", List.of(key + "=" + value)).exec().stream()
                    .map(Network::getName).toList();
        } catch (DockerException e) {
            throw DockerRuntime.failure("list networks", e);
        }
    }
}
