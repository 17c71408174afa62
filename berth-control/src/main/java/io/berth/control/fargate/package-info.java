/**
 * Fargate on Berth's own hosts. Hosts given to Fargate ({@code berth agent --fargate}) register into a hidden pool
 * cluster per account and region, {@value io.berth.control.fargate.FargatePool#NAME}, which no user can name (dots
 * are not allowed in cluster names) and which no cluster list, cluster description or container instance list
 * shows. Tasks launched with {@code launchType FARGATE} or the FARGATE and FARGATE_SPOT capacity providers are tasks
 * of the user's cluster placed on the pool's ACTIVE hosts by their cpu and memory, spread across hosts; the task
 * keeps its host internally, for dispatch and for its claim, and the API never shows it, as Fargate never does.
 */
package io.berth.control.fargate;
