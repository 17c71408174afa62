package io.berth.store;

import io.berth.control.store.Document;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The JDBC statements both stores run, on a connection with auto-commit off. */
final class Sql {

    private Sql() {
    }

    /** A check run first in a commit's own transaction; when it throws, the commit changes nothing. */
    @FunctionalInterface
    interface Guard {
        Guard NONE = connection -> { };

        void check(Connection connection) throws SQLException;
    }

    static void apply(Connection connection, List<Mutation> batch, Schema.Dialect dialect) {
        apply(connection, batch, dialect, Guard.NONE);
    }

    static void apply(Connection connection, List<Mutation> batch, Schema.Dialect dialect, Guard guard) {
        try {
            guard.check(connection);
        } catch (SQLException | RuntimeException e) {
            rollback(connection, e);
            if (e instanceof RuntimeException refused) {
                throw refused;
            }
            throw new StoreException("Cannot check the commit of " + batch.size() + " changes", e);
        }
        try (PreparedStatement upsert = connection.prepareStatement(dialect.upsert());
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM documents WHERE kind = ? AND scope = ? AND id = ?")) {
            // Statements run in order (a later change to the same document must win); consecutive
            // ones of the same sort go to the database together, which saves a round trip each.
            PreparedStatement queued = null;
            for (Mutation mutation : batch) {
                PreparedStatement next = switch (mutation) {
                    case Mutation.Put put -> {
                        Document d = put.document();
                        upsert.setString(1, d.kind());
                        upsert.setString(2, d.scope());
                        upsert.setString(3, d.id());
                        upsert.setString(4, d.json());
                        yield upsert;
                    }
                    case Mutation.Delete del -> {
                        delete.setString(1, del.kind());
                        delete.setString(2, del.scope());
                        delete.setString(3, del.id());
                        yield delete;
                    }
                };
                if (queued != null && queued != next) {
                    queued.executeBatch();
                }
                next.addBatch();
                queued = next;
            }
            if (queued != null) {
                queued.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            rollback(connection, e);
            throw new StoreException("Cannot commit " + batch.size() + " changes", e);
        }
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    static boolean compareAndPut(Connection connection, Document next, String expectedJson, Schema.Dialect dialect,
            Guard guard) {
        try {
            guard.check(connection);
            boolean put;
            if (expectedJson == null) {
                try (PreparedStatement insert = connection.prepareStatement(dialect.insertIfAbsent())) {
                    insert.setString(1, next.kind());
                    insert.setString(2, next.scope());
                    insert.setString(3, next.id());
                    insert.setString(4, next.json());
                    put = insert.executeUpdate() == 1;
                }
            } else {
                try (PreparedStatement replace = connection.prepareStatement(dialect.replaceIfUnchanged())) {
                    replace.setString(1, next.json());
                    replace.setString(2, next.kind());
                    replace.setString(3, next.scope());
                    replace.setString(4, next.id());
                    replace.setString(5, expectedJson);
                    put = replace.executeUpdate() == 1;
                }
            }
            connection.commit();
            return put;
        } catch (SQLException | RuntimeException e) {
            rollback(connection, e);
            if (e instanceof RuntimeException refused) {
                throw refused;
            }
            throw new StoreException("Cannot write " + next.kind() + " " + next.id(), e);
        }
    }

    static void loadAll(Connection connection, Consumer<Document> sink) {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kind, scope, id, json FROM documents ORDER BY kind, scope, id");
             ResultSet rs = fetchAll(select)) {
            while (rs.next()) {
                sink.accept(new Document(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("Cannot load the stored documents", e);
        }
    }

    /**
     * Like {@link #loadAll}, the JSON as the database's UTF-8 bytes, one (kind, scope) group at a time: a row then
     * costs two column reads instead of four, and the groups are found by index seeks, not by a scan. All reads
     * share one transaction, so they see one state of the store.
     */
    static void loadAllUtf8(Connection connection, Store.Utf8Sink sink) {
        try (PreparedStatement first = connection.prepareStatement(
                "SELECT kind, scope FROM documents ORDER BY kind, scope LIMIT 1");
             PreparedStatement next = connection.prepareStatement(
                     "SELECT kind, scope FROM documents WHERE (kind, scope) > (?, ?) ORDER BY kind, scope LIMIT 1");
             PreparedStatement documents = connection.prepareStatement(
                     "SELECT id, json FROM documents WHERE kind = ? AND scope = ? ORDER BY id")) {
            PreparedStatement group = first;
            while (true) {
                String kind;
                String scope;
                try (ResultSet rs = group.executeQuery()) {
                    if (!rs.next()) {
                        break;
                    }
                    kind = rs.getString(1);
                    scope = rs.getString(2);
                }
                documents.setString(1, kind);
                documents.setString(2, scope);
                try (ResultSet rs = fetchAll(documents)) {
                    while (rs.next()) {
                        sink.accept(kind, scope, rs.getString(1), rs.getBytes(2));
                    }
                }
                next.setString(1, kind);
                next.setString(2, scope);
                group = next;
            }
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("Cannot load the stored documents", e);
        }
    }

    private static ResultSet fetchAll(PreparedStatement select) throws SQLException {
        // Stream the rows rather than hold them all at once (PostgreSQL honours this with auto-commit off).
        select.setFetchSize(1_000);
        return select.executeQuery();
    }

    static List<Document> list(Connection connection, String kind, String scope) {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, json FROM documents WHERE kind = ? AND scope = ? ORDER BY id")) {
            select.setString(1, kind);
            select.setString(2, scope);
            List<Document> documents = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    documents.add(new Document(kind, scope, rs.getString(1), rs.getString(2)));
                }
            }
            connection.commit();
            return documents;
        } catch (SQLException e) {
            throw new StoreException("Cannot list " + kind + " documents", e);
        }
    }
}
