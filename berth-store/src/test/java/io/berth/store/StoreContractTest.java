package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.store.Document;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do. Each implementation's test extends this and says how to open a
 * fresh database and how to open the same one again.
 */
abstract class StoreContractTest extends DatabaseContractTest<Store> {

    private static final String SCOPE = "aws:123456789012:us-east-1";
    private static final String OTHER_SCOPE = "aws:123456789012:eu-west-1";
    private static final Comparator<Document> BY_KIND_SCOPE_ID = Comparator.comparing(Document::kind)
            .thenComparing(Document::scope)
            .thenComparing(Document::id);

    /** A plain JDBC connection to the database of the current test. */
    abstract Connection connect() throws SQLException;

    abstract Schema.Dialect dialect();

    @Test
    void aPutDocumentIsReadBackUnchangedByListAndLoadAll() {
        Document cluster = doc("cluster", SCOPE, "prod", "{\"b\": 1,  \"a\": [\"é\", \"日本\", null]}");

        store.apply(List.of(put(cluster)));

        assertThat(store.list("cluster", SCOPE)).containsExactly(cluster);
        assertThat(loadAll(store)).containsExactly(cluster);
    }

    @Test
    void aPutOnAnExistingKeyReplacesTheDocument() {
        store.apply(List.of(put(doc("cluster", SCOPE, "prod", "{\"v\":1}"))));

        store.apply(List.of(put(doc("cluster", SCOPE, "prod", "{\"v\":2}"))));

        assertThat(store.list("cluster", SCOPE)).containsExactly(doc("cluster", SCOPE, "prod", "{\"v\":2}"));
    }

    @Test
    void compareAndPutInsertsOnlyWhereNothingIsStored() {
        Document first = doc("iam-directory", SCOPE, "acct", "{\"version\": 1}");

        assertThat(store.compareAndPut(first, null)).isTrue();
        assertThat(store.compareAndPut(doc("iam-directory", SCOPE, "acct", "{\"version\": 9}"), null)).isFalse();

        assertThat(store.list("iam-directory", SCOPE)).containsExactly(first);
    }

    @Test
    void compareAndPutReplacesOnlyTheVersionItRead() {
        Document read = doc("iam-directory", SCOPE, "acct", "{\"version\": 1,  \"users\": [\"é\"]}");
        store.apply(List.of(put(read)));
        Document mine = doc("iam-directory", SCOPE, "acct", "{\"version\": 2, \"users\": [\"mine\"]}");
        Document theirs = doc("iam-directory", SCOPE, "acct", "{\"version\": 2, \"users\": [\"theirs\"]}");

        assertThat(store.compareAndPut(theirs, read.json())).isTrue();
        assertThat(store.compareAndPut(mine, read.json())).isFalse();

        assertThat(store.list("iam-directory", SCOPE)).containsExactly(theirs);
    }

    @Test
    void aDeleteRemovesTheDocumentAndADeleteOfAnAbsentOneIsNoError() {
        store.apply(List.of(put(doc("cluster", SCOPE, "prod", "{}")), put(doc("cluster", SCOPE, "dev", "{}"))));

        store.apply(List.of(delete("cluster", SCOPE, "prod"), delete("cluster", SCOPE, "never-there")));

        assertThat(store.list("cluster", SCOPE)).containsExactly(doc("cluster", SCOPE, "dev", "{}"));
    }

    @Test
    void withinABatchTheLaterChangeToADocumentWins() {
        store.apply(List.of(
                put(doc("cluster", SCOPE, "deleted-last", "{}")),
                delete("cluster", SCOPE, "deleted-last"),
                delete("cluster", SCOPE, "put-last"),
                put(doc("cluster", SCOPE, "put-last", "{\"v\":1}")),
                put(doc("cluster", SCOPE, "put-last", "{\"v\":2}"))));

        assertThat(store.list("cluster", SCOPE)).containsExactly(doc("cluster", SCOPE, "put-last", "{\"v\":2}"));
    }

    @Test
    void aBatchWithOneRefusedDocumentAppliesNothing() {
        Document kept = doc("cluster", SCOPE, "kept", "{\"v\":1}");
        store.apply(List.of(put(kept)));

        List<Mutation> batch = List.of(
                put(doc("cluster", SCOPE, "new", "{}")),
                put(doc("cluster", SCOPE, "kept", "{\"v\":2}")),
                delete("cluster", SCOPE, "kept"),
                put(doc("cluster", SCOPE, "broken", "{not json")),
                put(doc("cluster", SCOPE, "after", "{}")));

        assertThatThrownBy(() -> store.apply(batch)).isInstanceOf(StoreException.class);
        assertThat(loadAll(store)).containsExactly(kept);
    }

    @Test
    void aStoreThatRefusedABatchKeepsWorking() {
        assertThatThrownBy(() -> store.apply(List.of(put(doc("cluster", SCOPE, "broken", "")))))
                .isInstanceOf(StoreException.class);

        Document next = doc("cluster", SCOPE, "next", "{}");
        store.apply(List.of(put(next)));

        assertThat(loadAll(store)).containsExactly(next);
    }

    @Test
    void listAndLoadAllAreSortedByKindScopeAndIdInJavaStringOrder() {
        List<String> ids = new ArrayList<>(List.of("b", "B", "a", "A", "a b", "a/b", "a:b", "a-b", "a_b", "a.b",
                "a", "ab", "a0", "Z", "z", "9", " lead", "cluster/prod", "cluster:prod", "task/c/1", "task/c/10",
                "task/c/2", "~", "é", "x y z").stream().distinct().toList());
        List<String> kinds = List.of("task", "Task", "cluster", "container-instance", "task-definition");
        List<String> scopes = List.of(SCOPE, OTHER_SCOPE, "aws:999999999999:us-east-1", "aws-cn:123456789012:cn-north-1");
        List<Mutation> batch = new ArrayList<>();
        for (String kind : kinds) {
            for (String scope : scopes) {
                for (String id : ids) {
                    batch.add(put(doc(kind, scope, id, "{\"id\":\"" + id + "\"}")));
                }
            }
        }
        Collections.shuffle(batch, new Random(7));

        store.apply(batch);

        List<String> sortedIds = ids.stream().sorted().toList();
        assertThat(store.list("cluster", OTHER_SCOPE)).extracting(Document::id).containsExactlyElementsOf(sortedIds);
        List<Document> all = loadAll(store);
        assertThat(all).hasSize(batch.size()).isSortedAccordingTo(BY_KIND_SCOPE_ID);
        assertThat(loadAllUtf8(store)).isEqualTo(all);
    }

    @Test
    void loadAllAsUtf8HandsOverTheSameDocumentsAsLoadAll() {
        store.apply(List.of(
                put(doc("cluster", SCOPE, "prod", "{\"name\":\"café ☕ 𝄞\"}")),
                put(doc("cluster", OTHER_SCOPE, "prod", "{\"name\":\"there\"}")),
                put(doc("task", SCOPE, "prod/1", "{\"n\":1}"))));
        List<Document> asText = loadAll(store);

        List<Document> asUtf8 = loadAllUtf8(store);

        assertThat(asUtf8).hasSize(3).isEqualTo(asText);
    }

    @Test
    void kindsAndScopesAreIsolated() {
        store.apply(List.of(
                put(doc("cluster", SCOPE, "prod", "{\"where\":\"here\"}")),
                put(doc("cluster", OTHER_SCOPE, "prod", "{\"where\":\"there\"}")),
                put(doc("service", SCOPE, "prod", "{\"kind\":\"service\"}"))));

        store.apply(List.of(delete("cluster", OTHER_SCOPE, "prod")));

        assertThat(store.list("cluster", SCOPE)).containsExactly(doc("cluster", SCOPE, "prod", "{\"where\":\"here\"}"));
        assertThat(store.list("cluster", OTHER_SCOPE)).isEmpty();
        assertThat(store.list("service", SCOPE)).containsExactly(doc("service", SCOPE, "prod", "{\"kind\":\"service\"}"));
        assertThat(store.list("service", OTHER_SCOPE)).isEmpty();
    }

    @Test
    void tenThousandMutationsApplyInOneBatch() {
        List<Mutation> batch = IntStream.range(0, 10_000)
                .mapToObj(i -> (Mutation) put(doc("task", SCOPE, "task-%05d".formatted(i), "{\"n\":" + i + "}")))
                .toList();

        store.apply(batch);

        List<Document> tasks = store.list("task", SCOPE);
        assertThat(tasks).hasSize(10_000);
        assertThat(tasks.get(9_999)).isEqualTo(doc("task", SCOPE, "task-09999", "{\"n\":9999}"));
        assertThat(loadAll(store)).hasSize(10_000);
    }

    @Test
    void aReopenedStoreHoldsEverythingThatWasApplied() {
        List<Mutation> batch = IntStream.range(0, 100)
                .mapToObj(i -> (Mutation) put(doc(i % 2 == 0 ? "task" : "cluster", i % 3 == 0 ? SCOPE : OTHER_SCOPE,
                        "id-" + i, "{\"n\":" + i + "}")))
                .toList();
        store.apply(batch);
        store.apply(List.of(delete("task", SCOPE, "id-0")));
        List<Document> before = loadAll(store);

        store.close();
        store = open();

        assertThat(before).hasSize(99);
        assertThat(loadAll(store)).isEqualTo(before);
    }

    @Test
    void concurrentBatchesFromSeveralThreadsAreAllKept() throws Exception {
        int threads = 6;
        int batchesPerThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int b = 0; b < batchesPerThread; b++) {
                        store.apply(List.of(
                                put(doc("task", SCOPE, "t%d-b%03d-1".formatted(thread, b), "{}")),
                                put(doc("task", SCOPE, "t%d-b%03d-2".formatted(thread, b), "{}")),
                                put(doc("counter", SCOPE, "thread-" + thread, "{\"last\":" + b + "}"))));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.list("task", SCOPE)).hasSize(threads * batchesPerThread * 2);
        assertThat(store.list("counter", SCOPE)).extracting(Document::json)
                .containsOnly("{\"last\":" + (batchesPerThread - 1) + "}")
                .hasSize(threads);
    }

    @Test
    void openingAnUpToDateDatabaseAgainMigratesNothing() throws SQLException {
        Document cluster = doc("cluster", SCOPE, "prod", "{}");
        store.apply(List.of(put(cluster)));
        store.close();

        store = open();
        store.close();
        store = open();

        assertThat(loadAll(store)).containsExactly(cluster);
        int steps = dialect().migrations().size();
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*), MIN(version), MAX(version) FROM schema_version")) {
            assertThat(rs.next()).isTrue();
            assertThat(List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3))).containsExactly(steps, 1, steps);
        }
    }

    private static List<Document> loadAll(Store store) {
        List<Document> documents = new ArrayList<>();
        store.loadAll(documents::add);
        return documents;
    }

    private static List<Document> loadAllUtf8(Store store) {
        List<Document> documents = new ArrayList<>();
        store.loadAllUtf8((kind, scope, id, json) ->
                documents.add(doc(kind, scope, id, new String(json, java.nio.charset.StandardCharsets.UTF_8))));
        return documents;
    }

    private static Document doc(String kind, String scope, String id, String json) {
        return new Document(kind, scope, id, json);
    }

    private static Mutation put(Document document) {
        return new Mutation.Put(document);
    }

    private static Mutation delete(String kind, String scope, String id) {
        return new Mutation.Delete(kind, scope, id);
    }
}
