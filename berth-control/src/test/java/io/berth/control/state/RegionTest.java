package io.berth.control.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Scope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What readers of a region see: values a start read as JSON decoded, before and after the background decoding
 * reaches them; values a write staged as its writer sees them at once and as everyone else sees them only once
 * their commit is durable.
 */
class RegionTest {

    record Note(String text, int version) {
    }

    private static final Kind<Note> NOTE = Kinds.json("note", Note.class);

    private final Region region = new Region(new Scope("aws", "123456789012", "us-east-1"));
    private final ExecutorService decoders = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopDecoders() {
        decoders.shutdownNow();
    }

    private void stored(String id, String json) {
        // Behind other bytes, as a start packs many documents into one array.
        byte[] utf8 = ("padding" + json + "padding").getBytes(StandardCharsets.UTF_8);
        region.putEncoded(NOTE, id, utf8, "padding".length(), utf8.length - 2 * "padding".length());
    }

    @Test
    void storedValuesReadDecodedBeforeTheBackgroundDecodingReachesThem() {
        stored("a/1", "{\"text\":\"one\",\"version\":1}");
        stored("a/2", "{\"text\":\"two\",\"version\":2}");
        stored("b/1", "{\"text\":\"other\",\"version\":1}");

        assertThat(region.get(NOTE, "a/2")).contains(new Note("two", 2));
        assertThat(region.withPrefix(NOTE, "a/")).containsExactly(new Note("one", 1), new Note("two", 2));
        assertThat(region.withPrefix(NOTE, "a/").stream().map(Note::text)).containsExactly("one", "two");
        assertThat(region.withPrefixAfter(NOTE, "a/", "a/1")).containsExactly(new Note("two", 2));
        assertThat(region.all(NOTE)).hasSize(3).isNotEmpty().contains(new Note("other", 1));
        assertThat(List.copyOf(region.all(NOTE))).hasSize(3);
    }

    @Test
    void theBackgroundDecodingDecodesEveryValueOnceAndReadsThenShareIt() throws Exception {
        for (int i = 0; i < 3_000; i++) {
            stored("n/%05d".formatted(i), "{\"text\":\"n%d\",\"version\":%d}".formatted(i, i));
        }

        assertThat(region.decodeAll(decoders)).isEqualTo(3_000);

        assertThat(region.all(NOTE)).hasSize(3_000).element(2_999).isEqualTo(new Note("n2999", 2999));
        assertThat(region.get(NOTE, "n/00007").orElseThrow()).isSameAs(region.get(NOTE, "n/00007").orElseThrow());
        assertThat(region.decodeAll(decoders)).isZero();
    }

    @Test
    void aValueWrittenBeforeTheDecodingReachesItIsNotReplacedByTheStoredOne() throws Exception {
        stored("kept", "{\"text\":\"stored\",\"version\":1}");
        durable(write("kept", new Note("written", 2)));
        stored("gone", "{\"text\":\"stored\",\"version\":1}");
        durable(write("gone", null));

        region.decodeAll(decoders);

        assertThat(region.get(NOTE, "kept")).contains(new Note("written", 2));
        assertThat(region.get(NOTE, "gone")).isEmpty();
        assertThat(region.all(NOTE)).containsExactly(new Note("written", 2));
    }

    @Test
    void aStoredValueThatCannotBeDecodedFailsItsReadsAndLeavesTheOthersReadable() throws Exception {
        stored("bad", "{\"text\":\"unfinished\"");
        stored("good", "{\"text\":\"fine\",\"version\":1}");

        region.decodeAll(decoders);

        assertThatThrownBy(() -> region.get(NOTE, "bad")).isInstanceOf(RuntimeException.class);
        assertThat(region.get(NOTE, "good")).contains(new Note("fine", 1));
    }

    @Test
    void aStagedWriteIsSeenByItsWriterAtOnceAndByOtherReadersOnlyOnceDurable() {
        seed();

        List<PendingValue> staged = writeAll();

        assertThat(readerSees()).containsExactly(new Note("removed", 1), new Note("replaced", 1));
        assertThat(writerSees()).containsExactly(new Note("added", 1), new Note("replaced", 2));
        staged.forEach(RegionTest::durable);
        assertThat(readerSees()).containsExactly(new Note("added", 1), new Note("replaced", 2));
        assertThat(region.settled()).isTrue();
    }

    @Test
    void aStagedWriteWhoseCommitFailedLeavesEveryReaderTheValuesBefore() {
        seed();

        List<PendingValue> staged = writeAll();
        staged.forEach(RegionTest::failed);

        List<Note> before = List.of(new Note("removed", 1), new Note("replaced", 1));
        assertThat(readerSees()).isEqualTo(before);
        assertThat(writerSees()).isEqualTo(before);
        assertThat(region.settled()).isTrue();
    }

    @Test
    void aWriteStagedOverAPendingOneBuildsOnItWhileReadersSeeOnlyWhatIsDurable() {
        durable(write("n", new Note("n", 1)));
        PendingValue second = write("n", new Note("n", 2));
        PendingValue third = write("n", new Note("n", 3));

        assertThat(asWriter(() -> region.get(NOTE, "n"))).contains(new Note("n", 3));
        assertThat(region.get(NOTE, "n")).contains(new Note("n", 1));
        second.markDurable();
        assertThat(region.get(NOTE, "n")).contains(new Note("n", 2));
        third.markDurable();
        assertThat(region.get(NOTE, "n")).contains(new Note("n", 3));
        second.giveWay();
        third.giveWay();
        assertThat(region.get(NOTE, "n")).contains(new Note("n", 3));
        assertThat(region.settled()).isTrue();
    }

    @Test
    void writesStagedOverAFailedOneFailToo() {
        durable(write("n", new Note("n", 1)));
        PendingValue second = write("n", new Note("n", 2));
        PendingValue removal = write("n", null);

        failed(second);
        assertThat(region.get(NOTE, "n")).contains(new Note("n", 1));
        failed(removal);

        assertThat(region.get(NOTE, "n")).contains(new Note("n", 1));
        assertThat(region.all(NOTE)).containsExactly(new Note("n", 1));
    }

    @Test
    void aTableHoldingOnlyPendingValuesReadsAsEmptyOutsideItsWriter() {
        write("a/1", new Note("one", 1));

        assertThat(region.all(NOTE)).isEmpty();
        assertThat(region.all(NOTE)).hasSize(0);
        assertThat(region.withPrefix(NOTE, "a/").stream()).isEmpty();
        assertThat(asWriter(() -> region.all(NOTE).size())).isEqualTo(1);
        assertThat(asWriter(() -> region.ids(NOTE.name()))).containsExactly("a/1");
        assertThat(region.ids(NOTE.name())).isEmpty();
    }

    @Test
    void aStoredValueReplacedBeforeItIsDecodedReadsDecodedWhilePendingAndAfterAFailure() throws Exception {
        stored("n", "{\"text\":\"stored\",\"version\":1}");
        PendingValue replacement = write("n", new Note("written", 2));

        assertThat(region.get(NOTE, "n")).contains(new Note("stored", 1));
        failed(replacement);
        region.decodeAll(decoders);

        assertThat(region.get(NOTE, "n")).contains(new Note("stored", 1));
        assertThat(region.all(NOTE)).containsExactly(new Note("stored", 1));
    }

    @Test
    void aViewFollowsTheWritersNewestValues() {
        durable(write("a", new Note("a", 1)));
        List<String> seen = new ArrayList<>();
        asWriter(() -> region.view(NOTE, "log", () -> (Region.View<Note>) (id, before, after) ->
                seen.add(id + ":" + (before == null ? null : before.version()) + "->"
                        + (after == null ? null : after.version()))));

        write("a", new Note("a", 2));
        write("a", null);

        assertThat(seen).containsExactly("a:null->1", "a:1->2", "a:2->null");
    }

    /** Two durable notes: one to replace and one to remove. */
    private void seed() {
        durable(write("n/replaced", new Note("replaced", 1)));
        durable(write("n/removed", new Note("removed", 1)));
    }

    /** Adds one note, replaces one and removes one, as one write's commit would. */
    private List<PendingValue> writeAll() {
        return List.of(write("n/added", new Note("added", 1)), write("n/replaced", new Note("replaced", 2)),
                write("n/removed", null));
    }

    /** What a reader outside the writer sees, checked to agree across every way of reading. */
    private List<Note> readerSees() {
        return consistently();
    }

    private List<Note> writerSees() {
        return asWriter(this::consistently);
    }

    private List<Note> consistently() {
        List<Note> all = List.copyOf(region.all(NOTE));
        assertThat(region.all(NOTE)).hasSize(all.size());
        assertThat(region.all(NOTE).isEmpty()).isEqualTo(all.isEmpty());
        assertThat(region.withPrefix(NOTE, "n/")).containsExactlyElementsOf(all);
        assertThat(region.withPrefix(NOTE, "n/").stream().toList()).isEqualTo(all);
        assertThat(region.withPrefixAfter(NOTE, "n/", "n/added")).containsExactlyElementsOf(
                all.stream().filter(n -> !n.text().equals("added")).toList());
        assertThat(region.ids(NOTE.name())).hasSize(all.size());
        for (String id : List.of("n/added", "n/replaced", "n/removed")) {
            assertThat(region.get(NOTE, id)).isEqualTo(all.stream().filter(n -> id.endsWith(n.text())).findFirst());
        }
        return all;
    }

    /** Stages a value (null removes it) as the region's writer does. */
    private PendingValue write(String id, Note value) {
        return asWriter(() -> region.stage(NOTE.name(), id, value));
    }

    /** Reads as the region's writer, holding its write lock. */
    private <R> R asWriter(Supplier<R> read) {
        region.writeLock.lock();
        try {
            return read.get();
        } finally {
            region.writeLock.unlock();
        }
    }

    private static void durable(PendingValue value) {
        value.markDurable();
        value.giveWay();
    }

    private static void failed(PendingValue value) {
        value.markFailed();
        value.giveWay();
    }
}
