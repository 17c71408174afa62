package io.berth.control.network;

import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Transaction;
import io.berth.model.Ids;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The addresses of live awsvpc tasks, one stored {@link TaskEni} per address. An address is taken in the write that
 * records its task and freed in the write that records it STOPPED, so the region's single writer keeps each address
 * of a subnet with one live task at most, across restarts and on any node.
 */
final class TaskEnis {

    /** Interfaces keyed by {@code <subnet id>/<address>}. */
    static final Kind<TaskEni> KIND = Kinds.json("task-eni", TaskEni.class);

    private static final HexFormat HEX = HexFormat.of();

    private TaskEnis() {
    }

    static String key(String subnetId, String address) {
        return subnetId + "/" + address;
    }

    /**
     * A free address of the block for the task, stored with a new interface; empty when every host address is taken.
     * The search starts at a random address, so that an address just given back is seldom given out again at once,
     * while its old task's host may still be letting it go.
     */
    static Optional<TaskEni> take(Transaction tx, String taskArn, String subnetId, Cidr block, boolean assignPublicIp,
            List<String> securityGroups, RandomGenerator random) {
        // Neither the network address, nor the gateway (the first host), nor the broadcast address.
        long first = 2;
        long hosts = block.size() - 3;
        long start = random.nextLong(hosts);
        for (long i = 0; i < hosts; i++) {
            String address = Cidr.text(block.address(first + (start + i) % hosts));
            String key = key(subnetId, address);
            if (tx.get(KIND, key).isEmpty()) {
                TaskEni eni = new TaskEni(taskArn, subnetId, block.toString(), address, macAddress(random),
                        "eni-" + HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits((byte) random.nextInt())
                                .substring(1),
                        Ids.uuid(), assignPublicIp, securityGroups);
                tx.put(KIND, key, eni);
                return Optional.of(eni);
            }
        }
        return Optional.empty();
    }

    /** Frees the task's address, if it still holds it. */
    static void release(Transaction tx, String taskArn, String subnetId, String address) {
        String key = key(subnetId, address);
        if (tx.get(KIND, key).filter(eni -> eni.taskArn().equals(taskArn)).isPresent()) {
            tx.delete(KIND, key);
        }
    }

    /** A locally administered unicast MAC address, as AWS gives its interfaces. */
    private static String macAddress(RandomGenerator random) {
        StringBuilder mac = new StringBuilder("0a");
        for (int i = 0; i < 5; i++) {
            mac.append(':').append(HEX.toHexDigits((byte) random.nextInt()));
        }
        return mac.toString();
    }
}
