package io.berth.server.node;

import io.berth.control.store.Document;
import io.berth.control.store.ForwardingStore;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import java.util.List;

/** A leader's store that reports every failed write, after which the leader no longer trusts its state. */
final class StepDownOnFailure extends ForwardingStore {

    private final Runnable failed;

    StepDownOnFailure(Store store, Runnable failed) {
        super(store);
        this.failed = failed;
    }

    @Override
    public void apply(List<Mutation> batch) {
        try {
            super.apply(batch);
        } catch (RuntimeException e) {
            failed.run();
            throw e;
        }
    }

    @Override
    public boolean compareAndPut(Document next, String expectedJson) {
        try {
            return super.compareAndPut(next, expectedJson);
        } catch (RuntimeException e) {
            failed.run();
            throw e;
        }
    }
}
