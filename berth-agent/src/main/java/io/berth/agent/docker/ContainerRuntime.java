package io.berth.agent.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container runtime the task engine drives. Every call blocks until the runtime has answered; failures are
 * {@link RuntimeFailure}s carrying the runtime's own message.
 */
public interface ContainerRuntime {

    /** The runtime's server version, e.g. {@code 20.10.24}. */
    String serverVersion();

    /** The API versions the daemon accepts, as {@code [minimum, maximum]} (e.g. {@code 1.12}, {@code 1.41}). */
    List<String> apiVersionRange();

    /** The daemon's cgroup driver and version, as {@code docker info} reports them. */
    DaemonCgroups cgroups();

    boolean imageExists(String image);

    /** Pulls an image, logging in with {@code auth}'s login for its registry when it has one, else the runtime's. */
    void pull(String image, RegistryAuth auth);

    /**
     * Creates a container from a Docker Engine API create body ({@code Image}, {@code Cmd}, ..., {@code HostConfig})
     * and returns its id.
     */
    String create(String name, ObjectNode createBody);

    void start(String id);

    /** Stops a container, killing it once {@code timeout} has passed; stopping a stopped container is a no-op. */
    void stop(String id, Duration timeout);

    /** The container's current state, or empty when it no longer exists. */
    Optional<ContainerState> inspect(String id);

    /** Removes a container and its anonymous volumes; removing a missing container is a no-op. */
    void remove(String id);

    /** Every container, running or not, carrying label {@code key=value}. */
    List<ContainerListing> listByLabel(String key, String value);

    boolean volumeExists(String name);

    void createVolume(String name, String driver, Map<String, String> driverOptions, Map<String, String> labels);

    /** Removes a volume; removing a missing volume is a no-op. */
    void removeVolume(String name);

    /** The names of every volume carrying label {@code key=value}. */
    List<String> volumesByLabel(String key, String value);

    /** Loads the images of an archive in {@code docker save}'s format, replacing the tags it names. */
    void loadImage(byte[] imageArchive);

    /** The runtime's bridge networks. */
    BridgeNetworks networks();
}
