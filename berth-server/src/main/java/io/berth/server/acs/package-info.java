/**
 * The server side of the agents' websockets: ACS sessions with their outboxes and telemetry sessions.
 */
package io.berth.server.acs;
