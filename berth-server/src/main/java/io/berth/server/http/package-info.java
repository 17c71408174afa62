/**
 * The HTTP handlers: one for every AWS JSON 1.1 service (ECS, Logs, SSM, Secrets Manager), one for the
 * Query services (IAM, STS), errors, the development reset, what the operator's own signed GETs share, and the
 * node's unsigned probes ({@code /healthz}, {@code /readyz}, {@code /metrics}) at the root.
 */
package io.berth.server.http;
