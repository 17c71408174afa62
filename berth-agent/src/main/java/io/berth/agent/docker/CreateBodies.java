package io.berth.agent.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.PortMapping;
import java.util.TreeMap;

/**
 * Builds the Docker Engine API body that creates a container: first from the typed ACS fields, then with
 * {@code dockerConfig.config} and {@code dockerConfig.hostConfig} laid on top, key by key, as the control plane
 * passes there whatever has no typed field (user, labels, health check, log configuration, network mode...).
 */
public final class CreateBodies {

    /** Docker refuses memory limits below 6 MiB. */
    static final long MINIMUM_MEMORY_BYTES = 6L * 1024 * 1024;
    /** The smallest CPU share Docker honours; 0 or 1 would silently mean the default 1024. */
    static final int MINIMUM_CPU_SHARES = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    private CreateBodies() {
    }

    public static ObjectNode of(ContainerSetup setup) {
        AcsContainer container = setup.container();
        ObjectNode body = JSON.createObjectNode();
        ObjectNode host = JSON.createObjectNode();
        body.put("Image", container.image());
        if (setup.command() != null && !setup.command().isEmpty()) {
            body.set("Cmd", strings(setup.command()));
        }
        if (container.entryPoint() != null && !container.entryPoint().isEmpty()) {
            body.set("Entrypoint", strings(container.entryPoint()));
        }
        ArrayNode env = body.putArray("Env");
        new TreeMap<>(setup.environment()).forEach((key, value) -> env.add(key + "=" + value));

        ObjectNode exposed = body.putObject("ExposedPorts");
        ObjectNode bindings = host.putObject("PortBindings");
        if (container.portMappings() != null) {
            for (PortMapping mapping : container.portMappings()) {
                if (mapping.containerPort() == null) {
                    continue;
                }
                String key = mapping.containerPort() + "/" + (mapping.protocol() == null ? "tcp" : mapping.protocol());
                exposed.putObject(key);
                int hostPort = mapping.hostPort() == null ? 0 : mapping.hostPort();
                ObjectNode binding = ((ArrayNode) bindings.withArray(key)).addObject();
                binding.put("HostIp", "");
                binding.put("HostPort", hostPort == 0 ? "" : Integer.toString(hostPort));
            }
        }

        host.set("Links", strings(setup.links()));
        host.set("Binds", strings(setup.binds()));
        host.set("VolumesFrom", strings(setup.volumesFrom()));
        if (container.memory() != null && container.memory() > 0) {
            host.put("Memory", Math.max(MINIMUM_MEMORY_BYTES, container.memory() * 1024L * 1024L));
        }
        int cpu = container.cpu() == null ? 0 : container.cpu();
        host.put("CpuShares", Math.max(MINIMUM_CPU_SHARES, cpu));
        if (Boolean.TRUE.equals(container.privileged())) {
            host.put("Privileged", true);
        }

        if (container.dockerConfig() != null) {
            overlay(body, parse(container.dockerConfig().config(), "dockerConfig.config"));
            overlay(host, parse(container.dockerConfig().hostConfig(), "dockerConfig.hostConfig"));
        }
        // the task's cgroup wins over any the task definition names, as it holds the task's size
        if (setup.cgroupParent() != null) {
            host.put("CgroupParent", setup.cgroupParent());
        }
        // the task's own labels come last: the engine finds its containers by them
        ObjectNode labels = JSON.createObjectNode();
        if (body.get("Labels") instanceof ObjectNode userLabels) {
            labels.setAll(userLabels);
        }
        setup.labels().forEach(labels::put);
        body.set("Labels", labels);

        String networkMode = host.path("NetworkMode").asText("");
        if (!networkMode.isEmpty() && !networkMode.equals("bridge") && !networkMode.equals("default")) {
            // Docker refuses links outside the bridge network, and publishes nothing there
            host.remove("Links");
            host.remove("PortBindings");
        }
        body.set("HostConfig", host);
        return body;
    }

    /** Lays the members of {@code extra} over {@code target}, each replacing the typed value it names. */
    private static void overlay(ObjectNode target, ObjectNode extra) {
        if (extra != null) {
            target.setAll(extra);
        }
    }

    private static ObjectNode parse(String json, String member) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isObject()) {
                throw new IllegalArgumentException(member + " is not a JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(member + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static ArrayNode strings(Iterable<String> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }
}
