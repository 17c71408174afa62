/**
 * The agent's websocket sessions with the control plane: ACS (task payloads, credentials) and telemetry
 * (container health), each signed as the official agent signs them.
 */
package io.berth.agent.acs;
