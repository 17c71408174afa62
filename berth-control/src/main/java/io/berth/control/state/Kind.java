package io.berth.control.state;

import java.util.function.Function;

/**
 * A kind of stored resource: its name in the store and how its immutable value becomes a JSON
 * document and back. Each domain package declares the kinds it owns.
 */
public record Kind<T>(String name, Function<T, String> encoder, Function<String, T> decoder) {

    String encode(Object value) {
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return encoder.apply(typed);
    }
}
