package io.berth.control.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.model.AwsJson;
import io.berth.model.ShapeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.core.SdkPojo;

/** Builds {@link Kind}s whose values are records (which may hold SDK shapes) stored as JSON. */
public final class Kinds {

    // Configured once here and never changed afterwards; both are thread-safe in that use.
    private static final AwsJson SHAPES = new AwsJson();
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new ShapeModule(SHAPES))
            .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Kinds() {
    }

    public static <T> Kind<T> json(String name, Class<T> type) {
        return new Kind<>(name, value -> write(value), json -> read(json, type), utf8Reader(type));
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

    /**
     * Reads a stored document from its UTF-8 bytes. An SDK shape goes straight to the shape codec, which the
     * mapper would call anyway, without the mapper's per-document set-up.
     */
    private static <T> Kind.Utf8Decoder<T> utf8Reader(Class<T> type) {
        if (SdkPojo.class.isAssignableFrom(type)) {
            @SuppressWarnings("unchecked")
            Class<? extends SdkPojo> shape = (Class<? extends SdkPojo>) type;
            return (json, offset, length) -> type.cast(SHAPES.read(json, offset, length, shape));
        }
        return (json, offset, length) -> {
            try {
                return MAPPER.readValue(json, offset, length, type);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
