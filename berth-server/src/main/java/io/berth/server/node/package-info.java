/**
 * Several nodes on one PostgreSQL store acting as one control plane: the leader lease and the switch between
 * leading (answering everything) and following (forwarding everything to the leader, refusing agents' websockets).
 */
package io.berth.server.node;
