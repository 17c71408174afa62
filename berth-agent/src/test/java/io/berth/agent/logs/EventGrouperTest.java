package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EventGrouperTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration IDLE = Duration.ofSeconds(5);

    @Test
    void withoutAPatternEachLineIsAnEventAndEmptyLinesAreNone() {
        EventGrouper grouper = new EventGrouper(null);

        List<LogEvent> events = feed(grouper, "first", "", "third");

        assertThat(events).extracting(LogEvent::message).containsExactly("first", "third");
        assertThat(events).extracting(LogEvent::timestamp)
                .containsExactly(T0.toEpochMilli() + 1, T0.toEpochMilli() + 3);
        assertThat(events).extracting(LogEvent::shippedThrough).containsExactly(1L, 3L);
        assertThat(grouper.finish()).isEmpty();
    }

    @Test
    void aMultilinePatternStartsEventsThatTakeTheFollowingLines() {
        EventGrouper grouper = new EventGrouper(Pattern.compile("^(INFO|ERROR)"));

        List<LogEvent> events = feed(grouper, "INFO up", "ERROR boom", "  at a.b(C.java:1)", "  at d.e(F.java:2)",
                "INFO still up");
        events.addAll(grouper.finish());

        assertThat(events).extracting(LogEvent::message).containsExactly("INFO up\n",
                "ERROR boom\n  at a.b(C.java:1)\n  at d.e(F.java:2)\n", "INFO still up\n");
        assertThat(events.get(1).timestamp()).isEqualTo(T0.toEpochMilli() + 2);
        assertThat(events).extracting(LogEvent::shippedThrough).containsExactly(1L, 4L, 5L);
    }

    @Test
    void aDatetimeFormatStartsEventsOnLinesBeginningWithSuchADate() {
        EventGrouper grouper = new EventGrouper(DatetimeFormats.startOfLine("[%b %d, %Y %H:%M:%S]"));

        List<LogEvent> events = feed(grouper, "[May 01, 2017 19:00:01] A message was logged",
                "[May 01, 2017 19:00:04] A second message was logged", "with a second line",
                "and [May 01, 2017 19:00:05] mid-line is no start");
        events.addAll(grouper.finish());

        assertThat(events).extracting(LogEvent::message).containsExactly(
                "[May 01, 2017 19:00:01] A message was logged\n",
                "[May 01, 2017 19:00:04] A second message was logged\nwith a second line\n"
                        + "and [May 01, 2017 19:00:05] mid-line is no start\n");
    }

    @Test
    void datetimeDirectivesMatchWhatTheyName() {
        Pattern iso = DatetimeFormats.startOfLine("%Y-%m-%dT%H:%M:%S%z");
        Pattern clock = DatetimeFormats.startOfLine("%I:%M %p %a");

        assertThat(iso.matcher("2024-02-29T23:59:59+0100 x").find()).isTrue();
        assertThat(iso.matcher("2024-13-29T23:59:59+0100 x").find()).isFalse();
        assertThat(clock.matcher("09:30 PM Tue").find()).isTrue();
        assertThat(clock.matcher("9:30 PM Tue").find()).isFalse();
        assertThat(DatetimeFormats.startOfLine("100%% (%j)").matcher("100% (366)").find()).isTrue();
        assertThat(DatetimeFormats.startOfLine("a.b").matcher("axb").find()).isFalse();
    }

    @Test
    void aGatheredEventGoesOutOnceIdle() {
        EventGrouper grouper = new EventGrouper(Pattern.compile("^START"));
        grouper.accept(line(1, "START"), 0);
        grouper.accept(line(2, "more"), IDLE.toNanos());

        assertThat(grouper.takeIdle(IDLE.toNanos() * 2 - 1, IDLE)).isEmpty();
        assertThat(grouper.takeIdle(IDLE.toNanos() * 2, IDLE)).extracting(LogEvent::message)
                .containsExactly("START\nmore\n");
        assertThat(grouper.takeIdle(IDLE.toNanos() * 10, IDLE)).isEmpty();
    }

    @Test
    void aLongLineIsSplitIntoEventsOfTheLargestSizeNeverInsideACharacter() {
        EventGrouper grouper = new EventGrouper(null);
        String line = "a".repeat(EventGrouper.MAX_EVENT_BYTES - 1) + "é" + "b".repeat(10);

        List<LogEvent> parts = grouper.accept(line(7, line), 0);

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).message()).isEqualTo("a".repeat(EventGrouper.MAX_EVENT_BYTES - 1));
        assertThat(parts.get(1).message()).isEqualTo("é" + "b".repeat(10));
        assertThat(parts).extracting(LogEvent::bytes).containsExactly(EventGrouper.MAX_EVENT_BYTES - 1, 12);
        // only the last part vouches for the line
        assertThat(parts).extracting(LogEvent::shippedThrough).containsExactly(6L, 7L);
        assertThat(parts).allSatisfy(e -> assertThat(e.timestamp()).isEqualTo(T0.toEpochMilli() + 7));
    }

    @Test
    void aMultilineEventEndsBeforeItWouldGrowTooBig() {
        EventGrouper grouper = new EventGrouper(Pattern.compile("^START"));
        String half = "x".repeat(EventGrouper.MAX_EVENT_BYTES / 2);

        List<LogEvent> events = feed(grouper, "START", half, half);
        events.addAll(grouper.finish());

        assertThat(events).extracting(LogEvent::message).containsExactly("START\n" + half + "\n", half + "\n");
        assertThat(events).allSatisfy(e -> assertThat(e.bytes()).isLessThanOrEqualTo(EventGrouper.MAX_EVENT_BYTES));
    }

    @Test
    void bytesAreCountedAsUtf8() {
        assertThat(EventGrouper.utf8Length("aé€😀")).isEqualTo(1 + 2 + 3 + 4);
        assertThat(new EventGrouper(null).accept(line(1, "€"), 0).getFirst().bytes()).isEqualTo(3);
    }

    private static List<LogEvent> feed(EventGrouper grouper, String... lines) {
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            events.addAll(grouper.accept(line(i + 1, lines[i]), i));
        }
        return events;
    }

    private static LogLine line(long seq, String text) {
        return new LogLine(seq, T0.plusMillis(seq), text);
    }
}
