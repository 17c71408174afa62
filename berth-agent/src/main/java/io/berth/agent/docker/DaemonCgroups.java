package io.berth.agent.docker;

/** How the Docker daemon places containers in cgroups: its driver ({@code cgroupfs} or {@code systemd}) and version (1 or 2). */
public record DaemonCgroups(String driver, int version) {
}
