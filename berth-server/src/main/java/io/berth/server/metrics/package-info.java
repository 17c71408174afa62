/**
 * What a node tells Prometheus at {@code GET /metrics}: API calls by service, operation and error code, placements,
 * tasks by status, agent sessions, store commits and the JVM, through Micrometer. Meters never carry an ARN, an
 * account id or any other name a caller chose; only counts, durations and the server's own names.
 */
package io.berth.server.metrics;
