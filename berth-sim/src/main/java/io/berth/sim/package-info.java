/**
 * Simulated container agents for scale and scenario tests. A {@link io.berth.sim.Fleet} starts agents in a
 * cluster of any ECS endpoint; each {@link io.berth.sim.SimulatedAgent} does what the official agent does on
 * the wire (RegisterContainerInstance, DiscoverPollEndpoint, a SigV4-signed ACS websocket with heartbeat answers,
 * acks and manifest reconciliation, optionally a telemetry websocket, SubmitTaskStateChange reports, reconnection)
 * without running containers: a task is RUNNING after the {@link io.berth.sim.AgentProfile}'s run delay and
 * ends after its run time, by failure, or when the backend stops it (exit code 137).
 */
package io.berth.sim;
