package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerLogDecoderTest {

    record Message(Instant time, String text) {
    }

    private final List<Message> messages = new ArrayList<>();
    private final DockerLogDecoder decoder =
            new DockerLogDecoder((time, text) -> messages.add(new Message(time, text)));

    @Test
    void eachFrameIsAMessageWithDockersTimestamp() {
        decoder.frame(bytes("2025-03-01T10:00:00.123456789Z hello world\n"), false);
        decoder.frame(bytes("2025-03-01T10:00:01.000000001Z \n"), false);

        assertThat(messages).containsExactly(
                new Message(Instant.parse("2025-03-01T10:00:00.123456789Z"), "hello world"),
                new Message(Instant.parse("2025-03-01T10:00:01.000000001Z"), ""));
    }

    @Test
    void aPartOfALongLineIsAMessageOfItsOwn() {
        decoder.frame(bytes("2025-03-01T10:00:00.000000001Z first part"), false);
        decoder.frame(bytes("2025-03-01T10:00:00.000000002Z and the rest\n"), false);

        assertThat(messages).extracting(Message::text).containsExactly("first part", "and the rest");
    }

    @Test
    void aTtyStreamIsCutIntoMessagesAtNewlinesWhereverTheFramesEnd() {
        decoder.frame(bytes("2025-03-01T10:00:00.000000001Z one\r\n2025-03-01T10:00:00.0000"), true);
        decoder.frame(bytes("00002Z two\n2025-03-01T10:00:00.000000003Z unfinished"), true);
        decoder.end();

        assertThat(messages).extracting(Message::text).containsExactly("one\r", "two", "unfinished");
        assertThat(messages.get(1).time()).isEqualTo(Instant.parse("2025-03-01T10:00:00.000000002Z"));
    }

    @Test
    void textThatIsNotUtf8IsReadWithReplacementCharacters() {
        byte[] frame = bytes("2025-03-01T10:00:00Z bad \u0000\n");
        frame[frame.length - 2] = (byte) 0xff;

        decoder.frame(frame, false);

        assertThat(messages.getFirst().text()).isEqualTo("bad \uFFFD");
    }

    @Test
    void aMessageWithoutATimestampTakesTheTimeItWasRead() {
        Instant before = Instant.now();

        decoder.frame(bytes("no timestamp here\n"), false);

        assertThat(messages.getFirst().text()).isEqualTo("no timestamp here");
        assertThat(messages.getFirst().time()).isAfterOrEqualTo(before);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
