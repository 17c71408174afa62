package io.berth.store;

import io.berth.control.store.Document;
import io.berth.control.store.Mutation;
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

    static void apply(Connection connection, List<Mutation> batch, Schema.Dialect dialect) {
        try (PreparedStatement upsert = connection.prepareStatement(dialect.upsert());
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM documents WHERE kind = ? AND scope = ? AND id = ?")) {
            for (Mutation mutation : batch) {
                // Run in order: a later change to the same document must win.
                switch (mutation) {
                    case Mutation.Put put -> {
                        Document d = put.document();
                        upsert.setString(1, d.kind());
                        upsert.setString(2, d.scope());
                        upsert.setString(3, d.id());
                        upsert.setString(4, d.json());
                        upsert.executeUpdate();
                    }
                    case Mutation.Delete del -> {
                        delete.setString(1, del.kind());
                        delete.setString(2, del.scope());
                        delete.setString(3, del.id());
                        delete.executeUpdate();
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new StoreException("Cannot commit " + batch.size() + " changes", e);
        }
    }

    static void loadAll(Connection connection, Consumer<Document> sink) {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kind, scope, id, json FROM documents ORDER BY kind, scope, id");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                sink.accept(new Document(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("Cannot load the stored documents", e);
        }
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
