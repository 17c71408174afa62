package io.berth.control.crypto;

import io.berth.control.store.Document;
import java.util.Optional;
import java.util.Set;

/**
 * The stored documents of one domain that hold sealed values, and how to seal them again under the current master
 * key: each domain knows what its values are sealed for.
 */
public interface SealedDocuments {

    /** Finds another stored document, such as the one a sealed value's context names. */
    @FunctionalInterface
    interface Lookup {
        Optional<Document> find(String kind, String scope, String id);
    }

    /** The kinds of documents this reads: those holding sealed values and those their contexts come from. */
    Set<String> kinds();

    /**
     * The document's JSON with every sealed value sealed under the sealer's current master key and every secret kept
     * in plain text by an earlier version sealed; empty when nothing needs to change. Throws
     * {@link Sealer.BrokenSealException} when a value does not open.
     */
    Optional<String> reseal(Document document, Sealer sealer, Lookup others);
}
