package io.berth.control.crypto;

import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.store.Document;
import io.berth.control.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a store's sealed values under the master key: checks at start that the key opens them, seals at the first
 * start of this version what earlier versions kept in plain text, and seals everything again under a new key when
 * the key rotates. A check value sealed in the store itself tells a wrong master key at once.
 */
public final class Resealing {

    /** What a pass over the store did: documents written again, and documents with values that did not open. */
    public record Outcome(int resealed, List<String> broken) {

        public Outcome {
            broken = List.copyOf(broken);
        }
    }

    /** The master key given does not open the store's sealed values. */
    public static final class WrongMasterKeyException extends IllegalStateException {
        WrongMasterKeyException(String message) {
            super(message, null);
        }
    }

    /** A value of no worth sealed under the master key: whether it opens tells whether the key is this store's. */
    record CheckSeal(String sealed) {
    }

    static final String CHECK_KIND = "master-key-check";
    private static final Kind<CheckSeal> CHECK = Kinds.json(CHECK_KIND, CheckSeal.class);
    private static final String GLOBAL = "global";
    private static final String CHECK_ID = "check";
    private static final String CHECK_KEY_ID = "berth/master-key-check";
    private static final int ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(Resealing.class);

    private final Store store;
    private final Sealer sealer;
    private final Map<String, SealedDocuments> byKind = new HashMap<>();

    public Resealing(Store store, Sealer sealer, List<SealedDocuments> domains) {
        this.store = store;
        this.sealer = sealer;
        for (SealedDocuments domain : domains) {
            domain.kinds().forEach(kind -> byKind.put(kind, domain));
        }
        byKind.put(CHECK_KIND, new CheckValue());
    }

    /**
     * Refuses a master key that does not open the store's values, with a message that says what to do. A store
     * without the check value yet (new, or written by a version that kept some secrets in plain text) has every
     * value sealed under the key first, and then the check value.
     */
    public void checkAtStart(String keySource) {
        Optional<Document> check = store.list(CHECK_KIND, GLOBAL).stream().findFirst();
        if (check.isPresent()) {
            String sealed = sealedOf(check.get());
            try {
                sealer.open(sealed, CHECK_KEY_ID, CHECK_KIND);
            } catch (Sealer.BrokenSealException e) {
                throw wrongKey(keySource, Sealer.masterKeyIdOf(sealed).map(id -> "master key " + id)
                        .orElse("another master key"));
            }
            return;
        }
        Outcome outcome = resealAll();
        if (!outcome.broken().isEmpty()) {
            throw wrongKey(keySource, "another master key");
        }
        if (outcome.resealed() > 0) {
            log.info("Sealed {} stored documents under master key {}", outcome.resealed(), sealer.masterKeyId());
        }
        store.compareAndPut(checkDocument(), null);
    }

    /**
     * Seals every sealed value of the store, and every secret kept in plain text, under the current master key. Each
     * document is written over the version read, so a document changed meanwhile is read again, never overwritten;
     * an interrupted pass is finished by the next one.
     */
    public Outcome resealAll() {
        int resealed = 0;
        for (int attempt = 1; ; attempt++) {
            Pass pass = pass();
            resealed += pass.resealed;
            if (pass.conflicts == 0) {
                return new Outcome(resealed, pass.broken);
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException(pass.conflicts + " sealed documents kept changing while they were "
                        + "sealed again; stop whatever writes the store and run again");
            }
        }
    }

    private static final class Pass {
        int resealed;
        int conflicts;
        final List<String> broken = new ArrayList<>();
    }

    private Pass pass() {
        Map<String, Document> read = new LinkedHashMap<>();
        store.loadAll(d -> {
            if (byKind.containsKey(d.kind())) {
                read.put(key(d.kind(), d.scope(), d.id()), d);
            }
        });
        SealedDocuments.Lookup lookup = (kind, scope, id) -> Optional.ofNullable(read.get(key(kind, scope, id)));
        Pass pass = new Pass();
        for (Document document : read.values()) {
            Optional<String> next;
            try {
                next = byKind.get(document.kind()).reseal(document, sealer, lookup);
            } catch (Sealer.BrokenSealException e) {
                log.error("Cannot seal {} {} of {} again: {}", document.kind(), document.id(), document.scope(),
                        e.getMessage());
                pass.broken.add(document.kind() + " " + document.id() + " of " + document.scope());
                continue;
            }
            if (next.isEmpty()) {
                continue;
            }
            Document changed = new Document(document.kind(), document.scope(), document.id(), next.get());
            if (store.compareAndPut(changed, document.json())) {
                pass.resealed++;
            } else {
                pass.conflicts++;
            }
        }
        return pass;
    }

    private WrongMasterKeyException wrongKey(String keySource, String sealedUnder) {
        return new WrongMasterKeyException("The master key in " + keySource + " (id " + sealer.masterKeyId()
                + ") does not open the secrets in this store (sealed under " + sealedUnder + "). Give the "
                + "key they were sealed with: --master-key-file or BERTH_MASTER_KEY_FILE, the same file on every node "
                + "of one store.");
    }

    private Document checkDocument() {
        CheckSeal check = new CheckSeal(sealer.seal(new byte[16], CHECK_KEY_ID, CHECK_KIND));
        return new Document(CHECK_KIND, GLOBAL, CHECK_ID, CHECK.encoder().apply(check));
    }

    private static String sealedOf(Document check) {
        return CHECK.decoder().apply(check.json()).sealed();
    }

    private static String key(String kind, String scope, String id) {
        return kind + '\u0000' + scope + '\u0000' + id;
    }

    /** The check value, sealed again like every other. */
    private final class CheckValue implements SealedDocuments {
        @Override
        public Set<String> kinds() {
            return Set.of(CHECK_KIND);
        }

        @Override
        public Optional<String> reseal(Document document, Sealer sealer, Lookup others) {
            String sealed = sealedOf(document);
            if (sealer.sealedUnderCurrentKey(sealed)) {
                return Optional.empty();
            }
            sealer.open(sealed, CHECK_KEY_ID, CHECK_KIND);
            return Optional.of(checkDocument().json());
        }
    }
}
