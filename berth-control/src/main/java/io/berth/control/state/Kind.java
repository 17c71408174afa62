package io.berth.control.state;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A kind of stored resource: its name in the store and how its immutable value becomes a JSON
 * document and back. Each domain package declares the kinds it owns. {@code utf8Decoder} reads the
 * same document from its UTF-8 bytes, as a start loads it from the store.
 */
public record Kind<T>(String name, Function<T, String> encoder, Function<String, T> decoder,
        Function<byte[], T> utf8Decoder) {

    public Kind(String name, Function<T, String> encoder, Function<String, T> decoder) {
        this(name, encoder, decoder, json -> decoder.apply(new String(json, StandardCharsets.UTF_8)));
    }

    String encode(Object value) {
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return encoder.apply(typed);
    }
}
