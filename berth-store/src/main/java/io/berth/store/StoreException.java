package io.berth.store;

/** A store that cannot do what was asked: the disk, the database or the schema failed. */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
