package io.berth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code berth nodes} prints: the lease (who leads, its epoch and when the lease lapses; null while no node
 * holds it) and every node the database knows.
 */
record NodesReport(Lease leader, List<Member> nodes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The lease row: its holder, the endpoint it advertises, the epoch that fences its commits. */
    record Lease(String nodeId, String endpoint, long epoch, Instant leaseExpiresAt) {
    }

    /** One node as the database last saw it. */
    record Member(String nodeId, String endpoint, boolean leader, String startedAt, String lastSeenAt) {
    }

    /** Reads the JSON document in the command's output, skipping anything printed before it. */
    static NodesReport parse(String output) {
        int start = output.indexOf("{\"leader\"");
        if (start < 0) {
            start = output.indexOf('{');
        }
        if (start < 0) {
            throw new IllegalArgumentException("No JSON in the output of berth nodes:\n" + output);
        }
        try {
            JsonNode root = JSON.readTree(output.substring(start));
            JsonNode lease = root.path("leader");
            Lease leader = lease.isObject()
                    ? new Lease(lease.path("nodeId").asText(), lease.path("endpoint").asText(),
                            lease.path("epoch").asLong(), Instant.parse(lease.path("leaseExpiresAt").asText()))
                    : null;
            List<Member> members = new ArrayList<>();
            for (JsonNode node : root.path("nodes")) {
                members.add(new Member(node.path("nodeId").asText(), node.path("endpoint").asText(),
                        node.path("leader").asBoolean(), node.path("startedAt").asText(null),
                        node.path("lastSeenAt").asText(null)));
            }
            return new NodesReport(leader, List.copyOf(members));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot read the output of berth nodes:\n" + output, e);
        }
    }

    Optional<Lease> lease() {
        return Optional.ofNullable(leader);
    }

    /** The nodes that call themselves the leader. */
    List<Member> leaders() {
        return nodes.stream().filter(Member::leader).toList();
    }
}
