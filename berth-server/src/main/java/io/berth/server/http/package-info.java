/**
 * The HTTP handlers: one for every AWS JSON 1.1 service (ECS, Logs, SSM, Secrets Manager), one for the
 * Query services (IAM, STS), errors, and the development reset.
 */
package io.berth.server.http;
