/**
 * The Docker Engine API as the engine needs it: create bodies, pulls with registry logins, container
 * state, log streams and the daemon's cgroup setup.
 */
package io.berth.agent.docker;
