/**
 * Services: CreateService, UpdateService, DeleteService, DescribeServices, ListServices,
 * ListServicesByNamespace, the service deployments and revisions, and the task sets of the
 * EXTERNAL deployment controller.
 *
 * <p>How a service lives, as in ECS on EC2:
 * <ul>
 * <li>The operations only record what is wanted. The {@link io.berth.control.service.ServiceReconciler}
 * starts and stops tasks through the task family's placement, in one write per service, on a
 * schedule and after each commit that touches tasks, instances, services or clusters.</li>
 * <li>A service's tasks have the group {@code service:<name>} and are started by the deployment
 * ({@code ecs-svc/<19 digits>}) or the task set they belong to.</li>
 * <li>A new task definition, {@code forceNewDeployment} or new placement rules make a new PRIMARY
 * deployment; the earlier ones stay ACTIVE until the PRIMARY has all its tasks healthy (RUNNING,
 * and HEALTHY when an essential container has a health check), within {@code minimumHealthyPercent}
 * and {@code maximumPercent}. Tasks on DRAINING instances are replaced the same way.</li>
 * <li>A task whose essential container turns UNHEALTHY (after the health check grace period) is
 * stopped with "Task failed container health checks" and replaced; it counts as a failed task.
 * Standalone tasks are left running whatever their health.</li>
 * <li>With the deployment circuit breaker, a PRIMARY whose failed tasks reach the threshold FAILS
 * and, with rollback, the last COMPLETED deployment becomes PRIMARY again. Tasks that keep failing
 * to start are retried less and less often, up to every 15 minutes.</li>
 * <li>DeleteService drains the service: its tasks are stopped and it becomes INACTIVE once the
 * agents report them stopped.</li>
 * </ul>
 */
package io.berth.control.service;
