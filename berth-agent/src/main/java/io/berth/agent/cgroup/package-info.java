/**
 * Task-level CPU and memory limits, applied as the official agent applies them: a cgroup per task
 * ({@code /ecs/<task-id>}) holding the task's CPU quota and memory limit, which the task's containers are created
 * under as their cgroup parent.
 */
package io.berth.agent.cgroup;
