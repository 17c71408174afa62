package io.berth.agent.docker;

/** A published port as the runtime bound it; {@code protocol} is {@code tcp} or {@code udp}. */
public record PortBinding(int containerPort, String protocol, String hostIp, int hostPort) {
}
