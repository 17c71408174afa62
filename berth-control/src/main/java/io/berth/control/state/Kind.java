package io.berth.control.state;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A kind of stored resource: its name in the store and how its immutable value becomes a JSON
 * document and back. Each domain package declares the kinds it owns. {@code utf8Decoder} reads the
 * same document from UTF-8 bytes, as a start holds it.
 */
public record Kind<T>(String name, Function<T, String> encoder, Function<String, T> decoder,
        Utf8Decoder<T> utf8Decoder) {

    /** Reads a value from the UTF-8 JSON at {@code json[offset, offset + length)}. */
    @FunctionalInterface
    public interface Utf8Decoder<T> {
        T decode(byte[] json, int offset, int length);
    }

    public Kind(String name, Function<T, String> encoder, Function<String, T> decoder) {
        this(name, encoder, decoder,
                (json, offset, length) -> decoder.apply(new String(json, offset, length, StandardCharsets.UTF_8)));
    }

    String encode(Object value) {
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return encoder.apply(typed);
    }
}
