package io.berth.control.iam;

import io.berth.control.Caller;

/** Decides whether a caller may do what it asks. */
@FunctionalInterface
public interface Authorizer {

    Decision decide(Caller caller, AccessRequest request);

    /** Every caller may do everything: development mode, and tests of other concerns. */
    static Authorizer allowAll() {
        return (caller, request) -> Decision.ALLOW;
    }
}
