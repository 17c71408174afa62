/**
 * The operator's view of the hosts given to Fargate ({@code GET /_berth/fargate-hosts}), which no ECS call shows, as
 * Fargate's own hosts are shown by none.
 */
package io.berth.server.fargate;
