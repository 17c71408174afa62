package io.berth.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.Buildable;

/**
 * The AWS JSON 1.1 codec: turns JSON into the AWS SDK v2 model shapes and back, driven by each
 * shape's {@code sdkFields()}. Unknown members are skipped, as AWS skips them; absent members are
 * omitted on output; timestamps are epoch seconds with a fraction.
 *
 * <p>Thread-safe; one instance serves the whole process.
 */
public final class AwsJson {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private final Map<Class<?>, ShapeInfo> shapes = new ConcurrentHashMap<>();

    /** Reads one shape from a complete JSON document. An empty body reads as an empty shape. */
    public <T extends SdkPojo> T read(byte[] json, Class<T> type) {
        if (json.length == 0) {
            return read("{}".getBytes(), type);
        }
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            T value = read(parser, type);
            if (parser.nextToken() != null) {
                throw EcsException.serialization("Unexpected content after the JSON document.");
            }
            return value;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw EcsException.serialization("Malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T extends SdkPojo> T read(String json, Class<T> type) {
        return read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
    }

    /** Reads one shape whose START_OBJECT token is the parser's current token. */
    public <T extends SdkPojo> T read(JsonParser parser, Class<T> type) throws IOException {
        ShapeInfo shape = shape(type);
        return type.cast(readShape(parser, shape, type.getSimpleName()));
    }

    public byte[] writeBytes(SdkPojo value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            write(value, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String write(SdkPojo value) {
        return new String(writeBytes(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    public void write(SdkPojo value, JsonGenerator out) throws IOException {
        out.writeStartObject();
        for (SdkField<?> field : value.sdkFields()) {
            Object member = field.getValueOrDefault(value);
            if (isAbsent(member)) {
                continue;
            }
            out.writeFieldName(field.locationName());
            writeValue(field, member, out);
        }
        out.writeEndObject();
    }

    public static JsonFactory jsonFactory() {
        return JSON;
    }

    private static boolean isAbsent(Object member) {
        return member == null || member instanceof SdkAutoConstructList || member instanceof SdkAutoConstructMap;
    }

    private void writeValue(SdkField<?> field, Object value, JsonGenerator out) throws IOException {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.STRING) {
            out.writeString((String) value);
        } else if (type == MarshallingType.INTEGER) {
            out.writeNumber((Integer) value);
        } else if (type == MarshallingType.LONG) {
            out.writeNumber((Long) value);
        } else if (type == MarshallingType.DOUBLE) {
            out.writeNumber((Double) value);
        } else if (type == MarshallingType.FLOAT) {
            out.writeNumber((Float) value);
        } else if (type == MarshallingType.BIG_DECIMAL) {
            out.writeNumber((BigDecimal) value);
        } else if (type == MarshallingType.BOOLEAN) {
            out.writeBoolean((Boolean) value);
        } else if (type == MarshallingType.INSTANT) {
            out.writeNumber(Timestamps.toEpochSeconds((Instant) value));
        } else if (type == MarshallingType.SDK_BYTES) {
            out.writeString(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArrayUnsafe()));
        } else if (type == MarshallingType.SDK_POJO) {
            write((SdkPojo) value, out);
        } else if (type == MarshallingType.LIST) {
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            out.writeStartArray();
            for (Object element : (Collection<?>) value) {
                if (element == null) {
                    out.writeNull();
                } else {
                    writeValue(member, element, out);
                }
            }
            out.writeEndArray();
        } else if (type == MarshallingType.MAP) {
            SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            out.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                out.writeFieldName(String.valueOf(entry.getKey()));
                if (entry.getValue() == null) {
                    out.writeNull();
                } else {
                    writeValue(member, entry.getValue(), out);
                }
            }
            out.writeEndObject();
        } else {
            throw new IllegalStateException("Unsupported marshalling type " + type + " for " + field.memberName());
        }
    }

    private Object readShape(JsonParser parser, ShapeInfo shape, String path) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw mismatch(path, "a structure", parser);
        }
        Object builder = shape.newBuilder();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            SdkField<?> field = shape.fields.get(name);
            parser.nextToken();
            if (field == null) {
                parser.skipChildren();
                continue;
            }
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            field.set(builder, readValue(parser, field, path + "." + name));
        }
        return ((Buildable) builder).build();
    }

    private Object readValue(JsonParser parser, SdkField<?> field, String path) throws IOException {
        MarshallingType<?> type = field.marshallingType();
        JsonToken token = parser.currentToken();
        if (type == MarshallingType.STRING) {
            if (token != JsonToken.VALUE_STRING) {
                throw mismatch(path, "a string", parser);
            }
            return parser.getText();
        } else if (type == MarshallingType.INTEGER) {
            requireNumber(parser, path, true);
            long value = parser.getLongValue();
            if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
                throw EcsException.serialization("Value at '" + path + "' is out of range for an integer.");
            }
            return (int) value;
        } else if (type == MarshallingType.LONG) {
            requireNumber(parser, path, true);
            return parser.getLongValue();
        } else if (type == MarshallingType.DOUBLE) {
            requireNumber(parser, path, false);
            return parser.getDoubleValue();
        } else if (type == MarshallingType.FLOAT) {
            requireNumber(parser, path, false);
            return parser.getFloatValue();
        } else if (type == MarshallingType.BIG_DECIMAL) {
            requireNumber(parser, path, false);
            return parser.getDecimalValue();
        } else if (type == MarshallingType.BOOLEAN) {
            if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                throw mismatch(path, "a boolean", parser);
            }
            return parser.getBooleanValue();
        } else if (type == MarshallingType.INSTANT) {
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return Timestamps.fromEpochSeconds(parser.getDecimalValue());
            }
            throw mismatch(path, "a timestamp in epoch seconds", parser);
        } else if (type == MarshallingType.SDK_BYTES) {
            if (token != JsonToken.VALUE_STRING) {
                throw mismatch(path, "a base64 string", parser);
            }
            try {
                return SdkBytes.fromByteArrayUnsafe(Base64.getDecoder().decode(parser.getText()));
            } catch (IllegalArgumentException e) {
                throw EcsException.serialization("Value at '" + path + "' is not valid base64.");
            }
        } else if (type == MarshallingType.SDK_POJO) {
            return readShape(parser, shape(field.constructor()), path);
        } else if (type == MarshallingType.LIST) {
            if (token != JsonToken.START_ARRAY) {
                throw mismatch(path, "a list", parser);
            }
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            List<Object> list = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() == JsonToken.VALUE_NULL) {
                    throw EcsException.serialization("Value at '" + path + "' holds a null element.");
                }
                list.add(readValue(parser, member, path + "[" + list.size() + "]"));
            }
            return list;
        } else if (type == MarshallingType.MAP) {
            if (token != JsonToken.START_OBJECT) {
                throw mismatch(path, "a map", parser);
            }
            SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            Map<String, Object> map = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                if (parser.currentToken() == JsonToken.VALUE_NULL) {
                    continue;
                }
                map.put(key, readValue(parser, member, path + "." + key));
            }
            return map;
        }
        parser.skipChildren();
        return null;
    }

    private static void requireNumber(JsonParser parser, String path, boolean integral) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || (!integral && token == JsonToken.VALUE_NUMBER_FLOAT)) {
            return;
        }
        throw mismatch(path, integral ? "an integer" : "a number", parser);
    }

    private static EcsException mismatch(String path, String expected, JsonParser parser) {
        String found = switch (parser.currentToken()) {
            case START_OBJECT -> "a structure";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> String.valueOf(parser.currentToken());
        };
        return EcsException.serialization("Expected " + expected + " at '" + path + "' but found " + found + ".");
    }

    private ShapeInfo shape(Class<?> type) {
        return shapes.computeIfAbsent(type, ShapeInfo::forType);
    }

    private ShapeInfo shape(java.util.function.Supplier<SdkPojo> constructor) {
        // Nested shapes are keyed by the builder class the constructor makes.
        SdkPojo probe = constructor.get();
        return shapes.computeIfAbsent(probe.getClass(), c -> ShapeInfo.forBuilder(constructor, probe));
    }

    private record ShapeInfo(java.util.function.Supplier<?> builders, Map<String, SdkField<?>> fields) {

        Object newBuilder() {
            return builders.get();
        }

        static ShapeInfo forType(Class<?> type) {
            try {
                MethodHandle builder = MethodHandles.publicLookup()
                        .findStatic(type, "builder", MethodType.methodType(type.getMethod("builder").getReturnType()));
                java.util.function.Supplier<?> supplier = () -> {
                    try {
                        return builder.invoke();
                    } catch (Throwable t) {
                        throw new IllegalStateException(t);
                    }
                };
                return new ShapeInfo(supplier, index(((SdkPojo) supplier.get()).sdkFields()));
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(type + " is not an SDK shape", e);
            }
        }

        static ShapeInfo forBuilder(java.util.function.Supplier<SdkPojo> constructor, SdkPojo probe) {
            return new ShapeInfo(constructor, index(probe.sdkFields()));
        }

        private static Map<String, SdkField<?>> index(List<SdkField<?>> fields) {
            Map<String, SdkField<?>> byName = new HashMap<>();
            for (SdkField<?> field : fields) {
                byName.put(field.locationName(), field);
            }
            return Map.copyOf(byName);
        }
    }
}
