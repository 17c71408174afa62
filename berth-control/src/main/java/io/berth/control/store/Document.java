package io.berth.control.store;

import java.util.Objects;

/** One stored resource: its kind ({@code task}), its scope (account and region) and its id. */
public record Document(String kind, String scope, String id, String json) {

    public Document {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(json, "json");
    }
}
