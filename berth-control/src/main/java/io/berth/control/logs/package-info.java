/**
 * CloudWatch Logs: log groups, log streams and their events, answered on the same endpoint as ECS
 * ({@code X-Amz-Target: Logs_20140328.<Operation>}, signed for {@code logs}).
 *
 * <ul>
 * <li>Log events never pass through the control plane's in-memory state: groups, streams and events
 * live in a {@link io.berth.control.logs.LogStore} made for appending and for reading by group, stream
 * and time (a SQLite file of its own by default, tables in PostgreSQL otherwise). PutLogEvents answers
 * once its batch is durable.</li>
 * <li>Every call is decided by IAM on {@code logs:<Operation>} with the group's or the stream's ARN,
 * and refused with AccessDeniedException as Logs refuses it.</li>
 * <li>Input is held to AWS's limits and answered with its errors; events outside the accepted time
 * range come back in {@code rejectedLogEventsInfo}, as AWS answers them.</li>
 * <li>{@link io.berth.control.logs.FilterPattern} is the filter-pattern language of FilterLogEvents.</li>
 * <li>Retention is enforced by a sweep that runs every few minutes.</li>
 * </ul>
 */
package io.berth.control.logs;
