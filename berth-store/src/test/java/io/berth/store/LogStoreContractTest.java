package io.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.logs.EventPosition;
import io.berth.control.logs.LogStore;
import io.berth.control.logs.StoredEvent;
import io.berth.control.logs.StoredGroup;
import io.berth.control.logs.StoredStream;
import io.berth.control.logs.StreamPage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LogStore} must do. Each implementation's test extends this and says how to open
 * a fresh database and how to open the same one again.
 */
abstract class LogStoreContractTest extends DatabaseContractTest<LogStore> {

    private static final String SCOPE = "aws:123456789012:us-east-1";
    private static final String OTHER_SCOPE = "aws:123456789012:eu-west-1";
    private static final long T0 = 1_700_000_000_000L;
    private static final long END = Long.MAX_VALUE;

    @Test
    void aGroupIsCreatedOnceAndReadBackWithItsTags() {
        assertThat(store.createGroup(newGroup(SCOPE, "/ecs/web", Map.of("team", "blue")))).isTrue();
        assertThat(store.createGroup(newGroup(SCOPE, "/ecs/web", Map.of()))).isFalse();

        StoredGroup group = store.group(SCOPE, "/ecs/web").orElseThrow();
        assertThat(group.name()).isEqualTo("/ecs/web");
        assertThat(group.creationTime()).isEqualTo(T0);
        assertThat(group.retentionInDays()).isNull();
        assertThat(group.logGroupClass()).isEqualTo("STANDARD");
        assertThat(store.tags(group.id())).containsExactly(Map.entry("team", "blue"));
        assertThat(store.group(OTHER_SCOPE, "/ecs/web")).isEmpty();
    }

    @Test
    void groupsAreListedByNameWithAPrefixFromACursor() {
        for (String name : List.of("b", "a/2", "a/1", "a/10", "c")) {
            store.createGroup(newGroup(SCOPE, name, Map.of()));
        }
        store.createGroup(newGroup(OTHER_SCOPE, "a/0", Map.of()));

        assertThat(names(store.groups(SCOPE, "", null, 10))).containsExactly("a/1", "a/10", "a/2", "b", "c");
        assertThat(names(store.groups(SCOPE, "a/", null, 2))).containsExactly("a/1", "a/10");
        assertThat(names(store.groups(SCOPE, "a/", "a/10", 2))).containsExactly("a/2");
    }

    @Test
    void retentionAndTagsAreSetAndRemoved() {
        long id = createGroup("g");

        assertThat(store.setRetention(id, 7)).isTrue();
        assertThat(store.group(SCOPE, "g").orElseThrow().retentionInDays()).isEqualTo(7);
        assertThat(store.groupsWithRetention()).extracting(StoredGroup::name).containsExactly("g");
        store.setRetention(id, null);
        assertThat(store.group(SCOPE, "g").orElseThrow().retentionInDays()).isNull();

        assertThat(store.setTags(id, Map.of("a", "1", "b", "2"))).isTrue();
        assertThat(store.tags(id)).containsOnly(Map.entry("a", "1"), Map.entry("b", "2"));
        store.setTags(id, Map.of());
        assertThat(store.tags(id)).isEmpty();
        assertThat(store.setTags(id + 1000, Map.of("a", "1"))).isFalse();
        assertThat(store.setRetention(id + 1000, 1)).isFalse();
    }

    @Test
    void streamsAreCreatedOnceAndListedByNameOrByLastEventTime() {
        long group = createGroup("g");
        for (String name : List.of("web/1", "web/2", "db/1")) {
            assertThat(store.createStream(group, name, T0)).isTrue();
        }
        assertThat(store.createStream(group, "web/1", T0)).isFalse();
        append(group, "web/2", T0 + 5);
        append(group, "db/1", T0 + 9);

        assertThat(streamNames(group, new StreamPage(StreamPage.Order.NAME, false, "", 0, null, 10)))
                .containsExactly("db/1", "web/1", "web/2");
        assertThat(streamNames(group, new StreamPage(StreamPage.Order.NAME, true, "web/", 0, null, 10)))
                .containsExactly("web/2", "web/1");
        assertThat(streamNames(group, new StreamPage(StreamPage.Order.NAME, false, "", 0, "db/1", 1)))
                .containsExactly("web/1");
        assertThat(streamNames(group, new StreamPage(StreamPage.Order.LAST_EVENT_TIME, true, "", 0, null, 10)))
                .containsExactly("db/1", "web/2", "web/1");
        assertThat(streamNames(group, new StreamPage(StreamPage.Order.LAST_EVENT_TIME, true, "", T0 + 5, "web/2", 10)))
                .containsExactly("web/1");
        assertThat(store.streamNames(group, "web/").values()).containsExactlyInAnyOrder("web/1", "web/2");
    }

    @Test
    void anAppendCountsIntoTheStreamAndTheGroup() {
        long group = createGroup("g");
        store.createStream(group, "s", T0);
        long streamId = store.stream(group, "s").orElseThrow().id();

        long first = store.append(group, streamId, List.of(event(T0 + 20, "é"), event(T0 + 10, "abc")), T0 + 30)
                .orElseThrow();
        long second = store.append(group, streamId, List.of(event(T0 + 15, "x")), T0 + 40).orElseThrow();

        StoredStream stream = store.stream(group, "s").orElseThrow();
        assertThat(second).isGreaterThan(first);
        assertThat(stream.firstEventTimestamp()).isEqualTo(T0 + 10);
        assertThat(stream.lastEventTimestamp()).isEqualTo(T0 + 20);
        assertThat(stream.lastIngestionTime()).isEqualTo(T0 + 40);
        assertThat(stream.uploadSequence()).isEqualTo(second);
        assertThat(store.group(SCOPE, "g").orElseThrow().storedBytes()).isEqualTo(2 + 3 + 1);
    }

    @Test
    void anAppendToAStreamThatIsGoneAppendsNothing() {
        long group = createGroup("g");
        store.createStream(group, "s", T0);
        long streamId = store.stream(group, "s").orElseThrow().id();
        store.deleteStream(group, "s");

        assertThat(store.append(group, streamId, List.of(event(T0, "lost")), T0)).isEmpty();
        assertThat(store.scan(group, null, 0, END, EventPosition.before(0), List.of(), 10)).isEmpty();
    }

    @Test
    void aStreamIsReadInTimeOrderForwardAndBackwardFromABoundary() {
        long group = createGroup("g");
        long stream = createStream(group, "s");
        store.append(group, stream, List.of(event(T0 + 3, "c"), event(T0 + 1, "a"), event(T0 + 2, "b")), T0);
        store.append(group, stream, List.of(event(T0 + 2, "b2"), event(T0 + 4, "d")), T0);

        List<StoredEvent> all = store.read(stream, 0, END, EventPosition.before(0), true, 100);
        assertThat(messages(all)).containsExactly("a", "b", "b2", "c", "d");
        assertThat(messages(store.read(stream, 0, END, new EventPosition(END, 0), false, 2))).containsExactly("c", "d");
        assertThat(messages(store.read(stream, 0, END, all.get(1).position(), true, 2))).containsExactly("b2", "c");
        assertThat(messages(store.read(stream, 0, END, all.get(3).position(), false, 2))).containsExactly("b", "b2");
        assertThat(messages(store.read(stream, T0 + 2, T0 + 4, EventPosition.before(0), true, 100)))
                .containsExactly("b", "b2", "c");
        assertThat(store.read(stream, 0, END, all.get(4).position(), true, 10)).isEmpty();
    }

    @Test
    void overlappingAppendsAreReadInTimeOrderFromEitherEndAndPagedThrough() {
        long group = createGroup("g");
        long stream = createStream(group, "s");
        List<String> appended = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (int batch = 0; batch < 6; batch++) {
            List<StoredEvent.New> events = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long timestamp = T0 + batch * 7L + i * 5L;
                events.add(event(timestamp, "b" + batch + "-" + i));
                appended.add("b" + batch + "-" + i);
                times.add(timestamp);
            }
            store.append(group, stream, events, T0);
        }
        // By timestamp, then in the order appended.
        List<String> expected = IntStream.range(0, appended.size()).boxed()
                .sorted((a, b) -> Long.compare(times.get(a), times.get(b))).map(appended::get).toList();

        assertThat(messages(store.read(stream, 0, END, EventPosition.before(0), true, 1000))).isEqualTo(expected);
        assertThat(messages(store.read(stream, 0, END, new EventPosition(END, 0), false, 7)))
                .isEqualTo(expected.subList(expected.size() - 7, expected.size()));
        List<String> forward = new ArrayList<>();
        EventPosition at = EventPosition.before(0);
        List<StoredEvent> page;
        while (!(page = store.read(stream, 0, END, at, true, 7)).isEmpty()) {
            forward.addAll(messages(page));
            at = page.get(page.size() - 1).position();
        }
        assertThat(forward).isEqualTo(expected);
        List<String> backward = new ArrayList<>();
        at = new EventPosition(END, 0);
        while (!(page = store.read(stream, 0, END, at, false, 9)).isEmpty()) {
            backward.addAll(0, messages(page));
            at = page.get(0).position();
        }
        assertThat(backward).isEqualTo(expected);
        assertThat(messages(store.scan(group, null, 0, END, EventPosition.before(0), List.of(), 1000)))
                .isEqualTo(expected);
    }

    @Test
    void aBatchSpanningHoursIsReadFromAnyTimeInIt() {
        long group = createGroup("g");
        long stream = createStream(group, "s");
        long minute = 60_000;
        store.append(group, stream, LongStream.range(0, 180).mapToObj(m -> event(T0 + m * minute, "m" + m)).toList(),
                T0);
        store.append(group, stream, List.of(event(T0 + 90 * minute, "late")), T0);

        assertThat(messages(store.read(stream, T0 + 90 * minute, T0 + 92 * minute, EventPosition.before(0), true, 10)))
                .containsExactly("m90", "late", "m91");
        assertThat(messages(store.read(stream, 0, T0 + 91 * minute, new EventPosition(END, 0), false, 3)))
                .containsExactly("m89", "m90", "late");
        assertThat(messages(store.scan(group, null, T0 + 179 * minute, END, EventPosition.before(0), List.of(), 10)))
                .containsExactly("m179");
    }

    @Test
    void aScanFindsATextInOneEventOfALargeBatchButNotAcrossTwoEvents() {
        long group = createGroup("g");
        long stream = createStream(group, "s");
        List<StoredEvent.New> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            events.add(event(T0 + i, i == 321 ? "a needle here" : i == 400 ? "ends with nee" : i == 401 ? "dle starts"
                    : "hay " + i));
        }
        store.append(group, stream, events, T0);

        assertThat(messages(store.scan(group, null, 0, END, EventPosition.before(0), List.of(List.of("needle")), 10)))
                .containsExactly("a needle here");
        assertThat(store.scan(group, null, 0, END, EventPosition.before(0), List.of(List.of("eedled")), 10)).isEmpty();
    }

    @Test
    void aScanReadsTheGroupInTimeOrderKeepingStreamsAndTextsAsked() {
        long group = createGroup("g");
        long web = createStream(group, "web");
        long db = createStream(group, "db");
        store.append(group, web, List.of(event(T0 + 1, "GET /a 200"), event(T0 + 4, "GET /b 500")), T0);
        store.append(group, db, List.of(event(T0 + 2, "query ok"), event(T0 + 3, "query failed 500")), T0);

        EventPosition start = EventPosition.before(0);
        assertThat(messages(store.scan(group, null, 0, END, start, List.of(), 10)))
                .containsExactly("GET /a 200", "query ok", "query failed 500", "GET /b 500");
        assertThat(messages(store.scan(group, Set.of(db), 0, END, start, List.of(), 10)))
                .containsExactly("query ok", "query failed 500");
        assertThat(messages(store.scan(group, null, 0, END, start, List.of(List.of("500")), 10)))
                .containsExactly("query failed 500", "GET /b 500");
        assertThat(messages(store.scan(group, null, 0, END, start, List.of(List.of("GET"), List.of("200", "ok")), 10)))
                .containsExactly("GET /a 200");
        assertThat(messages(store.scan(group, null, T0 + 2, T0 + 4, start, List.of(), 10)))
                .containsExactly("query ok", "query failed 500");
        List<StoredEvent> first = store.scan(group, null, 0, END, start, List.of(), 2);
        assertThat(messages(store.scan(group, null, 0, END, first.get(1).position(), List.of(), 10)))
                .containsExactly("query failed 500", "GET /b 500");
        assertThat(store.scan(group, Set.of(), 0, END, start, List.of(), 10)).isEmpty();
    }

    @Test
    void aScanOfManyStreamsKeepsOnlyThoseAsked() {
        long group = createGroup("g");
        Set<Long> asked = new HashSet<>();
        for (int i = 0; i < 600; i++) {
            long stream = createStream(group, "s" + i);
            store.append(group, stream, List.of(event(T0 + i, "m" + i)), T0);
            if (i % 2 == 0) {
                asked.add(stream);
            }
        }

        List<StoredEvent> found = store.scan(group, asked, 0, END, EventPosition.before(0), List.of(), 1000);

        assertThat(found).hasSize(300).allMatch(e -> asked.contains(e.streamId()));
    }

    @Test
    void oldEventsAreDeletedInChunksAndLeaveTheGroupsFigures() {
        long group = createGroup("g");
        long stream = createStream(group, "s");
        store.append(group, stream, List.of(event(T0, "old1"), event(T0 + 1, "old2"), event(T0 + 2, "old3"),
                event(T0 + 10, "new")), T0);
        StoredEvent kept = store.read(stream, 0, END, EventPosition.before(0), true, 10).get(3);

        assertThat(store.deleteOlderThan(group, T0 + 5, 2)).isEqualTo(2);
        assertThat(messages(store.read(stream, 0, END, EventPosition.before(0), true, 10))).containsExactly("old3", "new");
        assertThat(store.deleteOlderThan(group, T0 + 5, 2)).isEqualTo(1);
        assertThat(store.deleteOlderThan(group, T0 + 5, 2)).isZero();

        assertThat(store.read(stream, 0, END, EventPosition.before(0), true, 10)).containsExactly(kept);
        assertThat(store.group(SCOPE, "g").orElseThrow().storedBytes()).isEqualTo(3);
    }

    @Test
    void expiredAppendsAreDeletedWholeAndOneAcrossTheCutoffKeepsItsLaterEvents() {
        long group = createGroup("g");
        long stream = createStream(group, "s");
        store.append(group, stream, List.of(event(T0, "a1"), event(T0 + 1, "a2")), T0);
        store.append(group, stream, List.of(event(T0 + 2, "b1"), event(T0 + 3, "b2")), T0);
        store.append(group, stream, List.of(event(T0 + 4, "c1"), event(T0 + 10, "c2")), T0);

        assertThat(store.deleteOlderThan(group, T0 + 5, 100)).isEqualTo(5);

        assertThat(messages(store.read(stream, 0, END, EventPosition.before(0), true, 10))).containsExactly("c2");
        assertThat(messages(store.scan(group, null, 0, END, EventPosition.before(0), List.of(), 10)))
                .containsExactly("c2");
        assertThat(store.group(SCOPE, "g").orElseThrow().storedBytes()).isEqualTo(2);
    }

    @Test
    void theEventsOfDeletedStreamsAndGroupsArePurged() {
        long group = createGroup("g");
        long gone = createStream(group, "gone");
        long kept = createStream(group, "kept");
        store.append(group, gone, List.of(event(T0, "a"), event(T0 + 1, "b"), event(T0 + 2, "c")), T0);
        store.append(group, kept, List.of(event(T0, "k")), T0);
        long other = createGroup("other");
        store.append(other, createStream(other, "s"), List.of(event(T0, "o")), T0);

        assertThat(store.deleteStream(group, "gone")).isTrue();
        assertThat(store.deleteStream(group, "gone")).isFalse();
        assertThat(store.deleteGroup(SCOPE, "other")).isTrue();
        int purged = 0;
        int step;
        while ((step = store.purgeDeleted(2)) > 0) {
            purged += step;
        }

        assertThat(purged).isEqualTo(4);
        assertThat(messages(store.scan(group, null, 0, END, EventPosition.before(0), List.of(), 10)))
                .containsExactly("k");
        assertThat(store.scan(other, null, 0, END, EventPosition.before(0), List.of(), 10)).isEmpty();
        assertThat(store.group(SCOPE, "g").orElseThrow().storedBytes()).isEqualTo(1);
        assertThat(store.group(SCOPE, "other")).isEmpty();
        assertThat(store.deleteGroup(SCOPE, "other")).isFalse();
    }

    @Test
    void aRecreatedGroupStartsEmpty() {
        long first = createGroup("g");
        store.append(first, createStream(first, "s"), List.of(event(T0, "before")), T0);
        store.deleteGroup(SCOPE, "g");

        long second = createGroup("g");

        assertThat(second).isNotEqualTo(first);
        assertThat(store.scan(second, null, 0, END, EventPosition.before(0), List.of(), 10)).isEmpty();
        assertThat(store.stream(second, "s")).isEmpty();
    }

    @Test
    void concurrentAppendsAreAllStoredWithDistinctIds() throws Exception {
        long group = createGroup("g");
        List<Long> streams = IntStream.range(0, 4).mapToObj(i -> createStream(group, "s" + i)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                long stream = streams.get(i % 4);
                int batch = i;
                done.add(pool.submit(() -> store.append(group, stream,
                        LongStream.range(0, 50).mapToObj(n -> event(T0 + n, "b" + batch + "-" + n)).toList(), T0)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        List<StoredEvent> all = store.scan(group, null, 0, END, EventPosition.before(0), List.of(), 10_000);
        assertThat(all).hasSize(2000);
        assertThat(all.stream().map(StoredEvent::id).distinct()).hasSize(2000);
    }

    @Test
    void whatWasWrittenIsThereAfterReopening() {
        long group = createGroup("g");
        long stream = createStream(group, "s");
        store.append(group, stream, List.of(event(T0, "kept")), T0);
        store.setRetention(group, 30);
        store.close();

        store = open();

        assertThat(store.group(SCOPE, "g").orElseThrow().retentionInDays()).isEqualTo(30);
        assertThat(messages(store.read(stream, 0, END, EventPosition.before(0), true, 10))).containsExactly("kept");
        long next = store.append(group, stream, List.of(event(T0 + 1, "later")), T0).orElseThrow();
        assertThat(next).isGreaterThan(store.read(stream, 0, END, EventPosition.before(0), true, 1).get(0).id());
    }

    private long createGroup(String name) {
        store.createGroup(newGroup(SCOPE, name, Map.of()));
        return store.group(SCOPE, name).orElseThrow().id();
    }

    private long createStream(long group, String name) {
        store.createStream(group, name, T0);
        return store.stream(group, name).orElseThrow().id();
    }

    private void append(long group, String stream, long timestamp) {
        store.append(group, store.stream(group, stream).orElseThrow().id(), List.of(event(timestamp, "m")), timestamp);
    }

    private List<String> streamNames(long group, StreamPage page) {
        return store.streams(group, page).stream().map(StoredStream::name).toList();
    }

    private static StoredGroup.New newGroup(String scope, String name, Map<String, String> tags) {
        return new StoredGroup.New(scope, name, T0, null, "STANDARD", tags);
    }

    private static StoredEvent.New event(long timestamp, String message) {
        return new StoredEvent.New(timestamp, message);
    }

    private static List<String> names(List<StoredGroup> groups) {
        return groups.stream().map(StoredGroup::name).toList();
    }

    private static List<String> messages(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::message).toList();
    }
}
