/**
 * The task engine: each task's loop from payload to cleanup, container ordering, volumes, container
 * creation, task size, reports to the control plane, the hooks other parts join by, and the checkpoint that
 * lets a restarted agent re-adopt its containers.
 */
package io.berth.agent.engine;
