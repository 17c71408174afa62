package io.berth.control.access;

/**
 * Where a request came from, as the HTTP connection tells it: the values of the global condition
 * keys {@code aws:SourceIp} and {@code aws:SecureTransport}.
 */
public record RequestOrigin(String sourceIp, boolean secureTransport) {
}
