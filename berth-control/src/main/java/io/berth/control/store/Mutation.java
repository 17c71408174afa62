package io.berth.control.store;

/** One change in a batch handed to {@link Store#apply}. */
public sealed interface Mutation {

    String kind();

    String scope();

    String id();

    /** Inserts the document or replaces the one with the same kind, scope and id. */
    record Put(Document document) implements Mutation {
        @Override
        public String kind() {
            return document.kind();
        }

        @Override
        public String scope() {
            return document.scope();
        }

        @Override
        public String id() {
            return document.id();
        }
    }

    /** Removes a document; removing one that is not there is not an error. */
    record Delete(String kind, String scope, String id) implements Mutation {
    }
}
