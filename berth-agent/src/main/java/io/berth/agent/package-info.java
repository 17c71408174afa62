/**
 * Berth's container agent: joins a Docker host to a cluster, keeps its sessions with the control plane and
 * runs the tasks it is sent; {@link io.berth.agent.Agent} wires the parts.
 */
package io.berth.agent;
