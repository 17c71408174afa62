package io.berth.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The servers a test starts, each a JVM of its own ({@code berth server}), killed with SIGKILL after the test. */
final class ServerProcesses implements AfterEachCallback {

    private final List<BerthProcess> started = new CopyOnWriteArrayList<>();

    /** Starts a server on the data directory, with the extra arguments given. */
    BerthProcess start(Path dataDir, String... extraArguments) {
        BerthProcess berth = BerthProcess.start(dataDir, extraArguments);
        started.add(berth);
        return berth;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(BerthProcess::kill);
        started.clear();
    }
}
