/**
 * The messages of the agent websocket (ACS) as the official agent reads and writes them: task payloads,
 * acknowledgements, heartbeats, role credentials, and their codec.
 */
package io.berth.model.acs;
