/**
 * The HTTP handlers: one for every AWS JSON 1.1 service (ECS, Logs, SSM, Secrets Manager), one for the
 * Query services (IAM, STS), errors, the development reset, and what the operator's own signed GETs share.
 */
package io.berth.server.http;
