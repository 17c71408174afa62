package io.berth.control;

/** Who makes a request, as established by the edge: the scope acted on and the principal acting. */
public record Caller(Scope scope, String principalArn) {
}
