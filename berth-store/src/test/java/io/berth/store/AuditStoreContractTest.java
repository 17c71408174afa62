package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.audit.AuditQuery;
import io.berth.control.audit.AuditQuery.Attribute;
import io.berth.control.audit.AuditRecord;
import io.berth.control.audit.AuditResource;
import io.berth.control.audit.AuditStore;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AuditStore} must do. Each implementation's test extends this and says how to open
 * a fresh database and how to open the same one again.
 */
abstract class AuditStoreContractTest extends DatabaseContractTest<AuditStore> {

    private static final String SCOPE = "aws:123456789012:us-east-1";
    private static final String OTHER_REGION = "aws:123456789012:eu-west-1";
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void aRecordIsReadBackWithItsResourcesAndDocument() {
        AuditRecord record = record(SCOPE, T0, "CreateCluster", List.of(new AuditResource("AWS::ECS::Cluster", "prod"),
                new AuditResource("AWS::ECS::Cluster", "a:7:odd\u00e9name")));
        store.append(record);

        assertThat(store.lookup(all(SCOPE))).containsExactly(record);
    }

    @Test
    void recordsComeNewestFirstWithinTheTimeRangeOfTheirScopeOnly() {
        AuditRecord first = store(SCOPE, T0, "CreateCluster");
        AuditRecord second = store(SCOPE, T0 + 1000, "DeleteCluster");
        store(SCOPE, T0 + 2000, "RunTask");
        store(OTHER_REGION, T0 + 1000, "CreateCluster");

        assertThat(names(store.lookup(all(SCOPE)))).containsExactly("RunTask", "DeleteCluster", "CreateCluster");
        assertThat(store.lookup(new AuditQuery(SCOPE, null, null, T0, T0 + 1000, null, 10)))
                .containsExactly(second, first);
    }

    @Test
    void eachAttributeSelectsItsRecords() {
        AuditRecord created = store(SCOPE, T0, "CreateCluster");
        store(SCOPE, T0 + 1, "RunTask");

        assertThat(names(lookup(Attribute.EVENT_NAME, "CreateCluster"))).containsExactly("CreateCluster");
        assertThat(names(lookup(Attribute.EVENT_ID, created.eventId()))).containsExactly("CreateCluster");
        assertThat(names(lookup(Attribute.USERNAME, "alice"))).containsExactly("RunTask", "CreateCluster");
        assertThat(names(lookup(Attribute.USERNAME, "bob"))).isEmpty();
        assertThat(names(lookup(Attribute.EVENT_SOURCE, "ecs.amazonaws.com"))).hasSize(2);
        assertThat(names(lookup(Attribute.ACCESS_KEY_ID, "AKIAEXAMPLE"))).hasSize(2);
        assertThat(names(lookup(Attribute.READ_ONLY, "false"))).hasSize(2);
        assertThat(names(lookup(Attribute.READ_ONLY, "true"))).isEmpty();
        assertThat(names(lookup(Attribute.READ_ONLY, "maybe"))).isEmpty();
        assertThat(names(lookup(Attribute.RESOURCE_NAME, "CreateCluster-target"))).containsExactly("CreateCluster");
        assertThat(names(lookup(Attribute.RESOURCE_TYPE, "AWS::ECS::Cluster"))).containsExactly("RunTask",
                "CreateCluster");
    }

    @Test
    void aResourceNamedTwiceGivesItsEventOnce() {
        store.append(record(SCOPE, T0, "TagResource", List.of(new AuditResource("AWS::ECS::Cluster", "x"),
                new AuditResource("AWS::ECS::Service", "x"))));

        assertThat(names(lookup(Attribute.RESOURCE_NAME, "x"))).containsExactly("TagResource");
    }

    @Test
    void pagesContinueAfterTheirCursorEvenWithinOneMillisecond() {
        IntStream.range(0, 7).forEach(i -> store(SCOPE, T0 + i / 3, "Op" + i));
        List<AuditRecord> everything = store.lookup(all(SCOPE));

        AuditRecord third = everything.get(2);
        List<AuditRecord> rest = store.lookup(new AuditQuery(SCOPE, null, null, 0, Long.MAX_VALUE,
                new AuditQuery.Cursor(third.eventTime(), third.eventId()), 10));

        assertThat(rest).containsExactlyElementsOf(everything.subList(3, 7));
    }

    @Test
    void recordsOlderThanTheCutoffAreDeletedAChunkAtATime() {
        IntStream.range(0, 5).forEach(i -> store(SCOPE, T0 + i, "Old" + i));
        store(SCOPE, T0 + 100, "Kept");

        assertThat(store.deleteOlderThan(T0 + 50, 3)).isEqualTo(3);
        assertThat(store.deleteOlderThan(T0 + 50, 3)).isEqualTo(2);
        assertThat(store.deleteOlderThan(T0 + 50, 3)).isZero();
        assertThat(names(store.lookup(all(SCOPE)))).containsExactly("Kept");
        assertThat(lookup(Attribute.RESOURCE_NAME, "Old1-target")).isEmpty();
    }

    @Test
    void concurrentAppendsAreAllKeptAndSurviveReopening() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = IntStream.range(0, 200)
                    .mapToObj(i -> threads.submit(() -> store(SCOPE, T0 + i, "Op" + i))).<Future<?>>map(f -> f)
                    .toList();
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            threads.shutdown();
        }
        store.close();
        store = open();

        assertThat(store.lookup(new AuditQuery(SCOPE, null, null, 0, Long.MAX_VALUE, null, 1000))).hasSize(200);
    }

    @Test
    void aClosedStoreRefusesToRecord() {
        store.close();

        assertThatThrownBy(() -> store.append(record(SCOPE, T0, "Late", List.of()))).isInstanceOf(StoreException.class);
        store = open();
        assertThat(store.lookup(all(SCOPE))).isEmpty();
    }

    private AuditRecord store(String scope, long time, String name) {
        AuditRecord record = record(scope, time, name, List.of(new AuditResource("AWS::ECS::Cluster", name + "-target")));
        store.append(record);
        return record;
    }

    private static AuditRecord record(String scope, long time, String name, List<AuditResource> resources) {
        String id = UUID.randomUUID().toString();
        return new AuditRecord(scope, id, time, name, "ecs.amazonaws.com", false, "alice", "AKIAEXAMPLE", resources,
                "{\"eventID\":\"" + id + "\"}");
    }

    private List<AuditRecord> lookup(Attribute attribute, String value) {
        return store.lookup(new AuditQuery(SCOPE, attribute, value, 0, Long.MAX_VALUE, null, 100));
    }

    private static AuditQuery all(String scope) {
        return new AuditQuery(scope, null, null, 0, Long.MAX_VALUE, null, 100);
    }

    private static List<String> names(List<AuditRecord> records) {
        return records.stream().map(AuditRecord::eventName).toList();
    }
}
