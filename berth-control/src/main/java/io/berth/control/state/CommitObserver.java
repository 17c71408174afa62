package io.berth.control.state;

/**
 * Told of every batch of writes {@link State} commits to the store, on the committer's thread: what metrics make of
 * group commit. It must be quick and must not throw, since every writer of the batch waits meanwhile.
 */
@FunctionalInterface
public interface CommitObserver {

    CommitObserver NONE = (writes, nanos) -> { };

    /**
     * @param writes how many writes the batch committed in one store transaction
     * @param nanos how long the store took to make them durable
     */
    void committed(int writes, long nanos);
}
