/**
 * The {@code awslogs} log driver, done by the agent: a container asking for {@code awslogs} keeps Docker's local
 * {@code json-file} log, and the agent follows that log through the Docker Engine API and ships it to a CloudWatch
 * Logs API with PutLogEvents, as Docker's own {@code awslogs} driver would (same options, stream names, multiline
 * grouping, event and batch limits). How far each container's log has been shipped is recorded in a small file in
 * the agent's data directory, so that a restarted agent resumes where the last acknowledged batch ended.
 *
 * <p>Entry points: {@link io.berth.agent.logs.AwslogsOptions#of} reads a container's options,
 * {@link io.berth.agent.logs.AwslogsOptions#keepJsonFileLog} rewrites its create body to the local log, and
 * {@link io.berth.agent.logs.LogShipping#ship} starts (or resumes) shipping a created container's output.
 */
package io.berth.agent.logs;
