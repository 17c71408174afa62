package io.berth.server;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The master key option of the commands that open the store beside the server. */
final class MasterKeyOption {

    @Option(names = "--master-key-file", defaultValue = "${env:BERTH_MASTER_KEY_FILE}",
            description = "The key that encrypts secrets at rest (default: $BERTH_MASTER_KEY_FILE, else master.key in "
                    + "the data directory): the server's.")
    Path file;

    Path file(Path dataDir) {
        return MasterKeys.file(file, dataDir);
    }
}
