package io.berth.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A contract that every implementation of a store must meet: each test starts with a fresh database
 * opened as {@link #store}. Each implementation's test says how to create that database and how to
 * open it (again).
 */
abstract class DatabaseContractTest<S extends AutoCloseable> {

    S store;

    /** Creates an empty database for the test that is starting. */
    abstract void createDatabase() throws Exception;

    /** Opens the database of the current test; may be called again after closing. */
    abstract S open();

    @BeforeEach
    void openFreshStore() throws Exception {
        createDatabase();
        store = open();
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }
}
