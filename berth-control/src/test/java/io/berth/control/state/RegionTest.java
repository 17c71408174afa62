package io.berth.control.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Scope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Values a start read as JSON: readers see them decoded, before and after the background decoding reaches them. */
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
        region.put(NOTE.name(), "kept", new Note("written", 2));
        stored("gone", "{\"text\":\"stored\",\"version\":1}");
        region.remove(NOTE.name(), "gone");

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
}
