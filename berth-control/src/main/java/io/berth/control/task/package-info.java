/**
 * Tasks: RunTask, StartTask, StopTask, DescribeTasks, ListTasks and the agents' reports
 * (SubmitTaskStateChange, SubmitContainerStateChange, SubmitAttachmentStateChanges), with
 * {@link io.berth.control.task.TaskService} as the family's one public entry.
 *
 * <p>How a task lives, as in ECS on EC2:
 * <ul>
 * <li>RunTask and StartTask place the task and record it PENDING with desired status RUNNING, in
 * the same write that claims its CPU, memory and host ports on the instance. Nothing here makes a
 * task RUNNING: only the agent's reports move {@code lastStatus}, and only forwards.</li>
 * <li>StopTask sets the desired status STOPPED (stop code {@code UserInitiated}); the last status
 * stays until the agent reports STOPPED, even for a task no agent has picked up yet, as in ECS.</li>
 * <li>The first STOPPED report gives the task's claim back to its instance. The claim is a stored
 * record of its own ({@link io.berth.control.placement.Claims}) deleted on release, so resources
 * return exactly once whatever reports repeat, and survive restarts.</li>
 * <li>RunTask client tokens are kept for {@link io.berth.control.task.RunTaskToken#LIFETIME}: a
 * retry with the same token and request answers the same tasks, another request with that token
 * is a ConflictException.</li>
 * </ul>
 */
package io.berth.control.task;
