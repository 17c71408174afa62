package io.berth.server;

import io.berth.control.crypto.MasterKeyFile;
import io.berth.control.crypto.Resealing;
import io.berth.control.crypto.Sealer;
import io.berth.control.store.Store;
import io.berth.store.LeaderLease;
import io.berth.store.PostgresStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code berth master-key rotate}: a new master key, and every sealed value of the store sealed under it. The
 * previous key stays beside the new one until every value is, so a rotation that stops is finished by running it
 * again, and a server started meanwhile opens values of both.
 */
@Command(name = "master-key", mixinStandardHelpOptions = true, description = "Manages the key that encrypts secrets at rest.",
        subcommands = MasterKeyCommand.Rotate.class)
final class MasterKeyCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Writes a new master key and encrypts every secret of the store again under it. Stop every "
                    + "server of the store first; afterwards give each the new key file.")
    static final class Rotate implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Berth.DataOptions data = new Berth.DataOptions();

        @CommandLine.Mixin
        Berth.StoreOptions storeOptions = new Berth.StoreOptions();

        @CommandLine.Mixin
        MasterKeyOption masterKey = new MasterKeyOption();

        @Override
        public Integer call() {
            StoreConfig config = storeOptions.config(spec.commandLine());
            Path keyFile = masterKey.file(data.dataDir);
            if (Files.notExists(keyFile)) {
                System.err.println("There is no master key " + keyFile + " to rotate.");
                return 1;
            }
            // A server on the same store would go on sealing under the key being replaced.
            DataDirLock lock;
            try {
                lock = DataDirLock.acquire(DataDir.prepare(data.dataDir));
            } catch (IllegalStateException e) {
                System.err.println(e.getMessage());
                return 1;
            }
            try (lock; Store store = config.open(data.dataDir)) {
                String running = runningNodes(store);
                if (running != null) {
                    System.err.println(running);
                    return 1;
                }
                MasterKeys.open(keyFile, store);
                Sealer sealer = MasterKeyFile.beginRotation(keyFile);
                Resealing.Outcome outcome = MasterKeys.resealing(store, sealer).resealAll();
                if (!outcome.broken().isEmpty()) {
                    System.err.println(outcome.broken().size() + " stored documents hold values that open under "
                            + "neither key, such as " + outcome.broken().get(0) + "; the previous key stays in "
                            + MasterKeyFile.previous(keyFile) + ".");
                    return 1;
                }
                MasterKeyFile.finishRotation(keyFile);
                System.out.println("Rotated the master key in " + keyFile + " (now " + sealer.masterKeyId()
                        + "): sealed " + outcome.resealed() + " stored documents again.");
                if (store instanceof PostgresStore) {
                    System.out.println("Give every node of this store the new " + keyFile.getFileName()
                            + " before it starts.");
                }
                return 0;
            }
        }

        /** What says that servers still use the store, or null when none does. */
        private static String runningNodes(Store store) {
            if (!(store instanceof PostgresStore postgres)) {
                return null;
            }
            LeaderLease.Standing standing = postgres.leaderLease("master-key-rotation", "", StoreConfig.DEFAULT_LEASE_TTL)
                    .standing();
            long alive = standing.nodes().stream().filter(LeaderLease.Node::alive).count();
            if (standing.leader() == null && alive == 0) {
                return null;
            }
            return alive + " Berth nodes still use this store" + (standing.leader() != null
                    ? ", led by " + standing.leader().endpoint() : "") + "; stop every one first.";
        }
    }
}
