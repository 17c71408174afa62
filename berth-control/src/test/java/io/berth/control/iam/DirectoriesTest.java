package io.berth.control.iam;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.store.MemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** IAM directories written by several processes on one store: no process loses another's change. */
class DirectoriesTest {

    private static final String ACCOUNT = "123456789012";

    private final MemoryStore store = new MemoryStore();
    private final Directories here = new Directories(store, Clock.systemUTC());
    private final Directories elsewhere = new Directories(store, Clock.systemUTC());

    private static Directory.User user(String name) {
        return new Directory.User(name, "/", "AIDA" + name.toUpperCase(), Instant.EPOCH, Directory.Policies.none(),
                Map.of());
    }

    @Test
    void aWriteOverADirectoryChangedMeanwhileRunsAgainOnTheNewVersionAndKeepsBothChanges() {
        AtomicInteger runs = new AtomicInteger();

        here.update(ACCOUNT, directory -> {
            if (runs.incrementAndGet() == 1) {
                // Another process adds a user between this read and this write.
                elsewhere.update(ACCOUNT, theirs -> new Directories.Change<>(theirs.with(user("theirs")), null));
            }
            return new Directories.Change<>(directory.with(user("mine")), null);
        });

        assertThat(runs).hasValue(2);
        assertThat(here.read(ACCOUNT).users().keySet()).containsExactlyInAnyOrder("mine", "theirs");
        assertThat(here.read(ACCOUNT).version()).isEqualTo(2);
    }

    @Test
    void aWorkThatChangesNothingWritesNothing() {
        here.update(ACCOUNT, directory -> new Directories.Change<>(directory, null));

        assertThat(store.list(Directories.KIND.name(), ACCOUNT)).isEmpty();
    }
}
