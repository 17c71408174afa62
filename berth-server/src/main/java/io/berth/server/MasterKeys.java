package io.berth.server;

import io.berth.control.crypto.Resealing;
import io.berth.control.crypto.SealedDocuments;
import io.berth.control.crypto.Sealer;
import io.berth.control.iam.Iam;
import io.berth.control.secrets.SecretsManager;
import io.berth.control.ssm.ParameterStore;
import io.berth.control.store.Store;
import java.nio.file.Path;
import java.util.List;

/** The master key of a store, as the server and every command that opens the store take it. */
final class MasterKeys {

    /** Every kind of stored document that holds sealed values. */
    static final List<SealedDocuments> SEALED = List.of(Iam.sealedDocuments(), ParameterStore.sealedDocuments(),
            SecretsManager.sealedDocuments());

    private MasterKeys() {
    }

    /**
     * The sealer of the key in the file (created when missing), once it proved to open the store's sealed values;
     * secrets an earlier version kept in plain text are sealed the first time. Throws
     * {@link Resealing.WrongMasterKeyException} for a key of another store.
     */
    static Sealer open(Path keyFile, Store store) {
        Sealer sealer = Sealer.fromKeyFile(keyFile);
        resealing(store, sealer).checkAtStart(keyFile.toString());
        return sealer;
    }

    static Resealing resealing(Store store, Sealer sealer) {
        return new Resealing(store, sealer, SEALED);
    }

    /** Where the master key is: the file given, else {@value ServerConfig#MASTER_KEY_FILE} in the data directory. */
    static Path file(Path given, Path dataDir) {
        return given != null ? given : dataDir.resolve(ServerConfig.MASTER_KEY_FILE);
    }
}
