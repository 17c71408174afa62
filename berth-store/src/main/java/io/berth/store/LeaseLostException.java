package io.berth.store;

/** A commit refused because the node that made it no longer holds the leader lease; nothing of it was written. */
public final class LeaseLostException extends RuntimeException {

    public LeaseLostException(String message) {
        super(message);
    }
}
