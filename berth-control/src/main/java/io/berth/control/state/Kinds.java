package io.berth.control.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.model.ShapeModule;
import java.io.UncheckedIOException;

/** Builds {@link Kind}s whose values are records (which may hold SDK shapes) stored as JSON. */
public final class Kinds {

    // Configured once here and never changed afterwards; ObjectMapper is thread-safe in that use.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new ShapeModule())
            .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Kinds() {
    }

    public static <T> Kind<T> json(String name, Class<T> type) {
        return new Kind<>(name, value -> write(value), json -> read(json, type));
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
