package io.berth.control.iam;

/** The outcome of evaluating policies for one request; only {@link #ALLOW} lets it through. */
public enum Decision {
    ALLOW,
    /** A statement with {@code "Effect": "Deny"} matched: nothing can override it. */
    EXPLICIT_DENY,
    /** No statement allowed the request. */
    IMPLICIT_DENY;

    public boolean allowed() {
        return this == ALLOW;
    }
}
