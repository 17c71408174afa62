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
import java.util.IdentityHashMap;
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
 * <p>Thread-safe; one instance serves the whole process, an {@link #unshared} one the Logs API.
 */
public final class AwsJson {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    /** Strings up to this length are shared with equal ones read before (see {@link #text}). */
    private static final int MAX_SHARED_LENGTH = 256;

    private final Map<Class<?>, ShapeInfo> shapes = new ConcurrentHashMap<>();
    // A nested member's shape, by the member's field (each SDK field is one constant object).
    private final Map<SdkField<?>, ShapeInfo> nestedShapes = new ConcurrentHashMap<>();
    // Per hash slot, the last string read there (null when sharing nothing); racing readers at worst miss a sharing.
    private final String[] recentStrings;

    /** A codec that shares equal strings it reads (see {@link #text}). */
    public AwsJson() {
        this.recentStrings = new String[1 << 16];
    }

    private AwsJson(String[] recentStrings) {
        this.recentStrings = recentStrings;
    }

    /** A codec that shares no strings, for requests whose strings are never kept (log messages, each seen once). */
    public static AwsJson unshared() {
        return new AwsJson(null);
    }

    /** Reads one shape from a complete JSON document. An empty body reads as an empty shape. */
    public <T extends SdkPojo> T read(byte[] json, Class<T> type) {
        return read(json, 0, json.length, type);
    }

    /** Reads one shape from the complete JSON document at {@code json[offset, offset + length)}. */
    public <T extends SdkPojo> T read(byte[] json, int offset, int length, Class<T> type) {
        if (length == 0) {
            return read("{}".getBytes(), type);
        }
        try (JsonParser parser = JSON.createParser(json, offset, length)) {
            parser.nextToken();
            T value = read(parser, type);
            if (parser.nextToken() != null) {
                throw EcsException.serialization("Unexpected content after the JSON document.");
            }
            return value;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw EcsException.serialization("Malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.CharConversionException e) {
            throw EcsException.serialization("The request body is not in a valid Unicode encoding.");
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
        try {
            return type.cast(readShape(parser, shape));
        } catch (Misfit misfit) {
            throw misfit.asError(type.getSimpleName());
        }
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

    private Object readShape(JsonParser parser, ShapeInfo shape) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw mismatch("a structure", parser);
        }
        Object builder = shape.newBuilder();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            SdkField<?> field = shape.field(name);
            parser.nextToken();
            if (field == null) {
                parser.skipChildren();
                continue;
            }
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            try {
                field.set(builder, readValue(parser, field));
            } catch (Misfit misfit) {
                throw misfit.inside("." + name);
            }
        }
        return ((Buildable) builder).build();
    }

    private Object readValue(JsonParser parser, SdkField<?> field) throws IOException {
        MarshallingType<?> type = field.marshallingType();
        JsonToken token = parser.currentToken();
        if (type == MarshallingType.STRING) {
            if (token != JsonToken.VALUE_STRING) {
                throw mismatch("a string", parser);
            }
            return text(parser);
        } else if (type == MarshallingType.INTEGER) {
            requireNumber(parser, true);
            long value = parser.getLongValue();
            if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
                throw new Misfit("Value at '", "' is out of range for an integer.");
            }
            return (int) value;
        } else if (type == MarshallingType.LONG) {
            requireNumber(parser, true);
            return parser.getLongValue();
        } else if (type == MarshallingType.DOUBLE) {
            requireNumber(parser, false);
            return parser.getDoubleValue();
        } else if (type == MarshallingType.FLOAT) {
            requireNumber(parser, false);
            return parser.getFloatValue();
        } else if (type == MarshallingType.BIG_DECIMAL) {
            requireNumber(parser, false);
            return parser.getDecimalValue();
        } else if (type == MarshallingType.BOOLEAN) {
            if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                throw mismatch("a boolean", parser);
            }
            return parser.getBooleanValue();
        } else if (type == MarshallingType.INSTANT) {
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                try {
                    return Timestamps.fromNumberToken(parser);
                } catch (EcsException outOfRange) {
                    throw new Misfit("Value at '", "' is out of range for a timestamp.");
                }
            }
            throw mismatch("a timestamp in epoch seconds", parser);
        } else if (type == MarshallingType.SDK_BYTES) {
            if (token != JsonToken.VALUE_STRING) {
                throw mismatch("a base64 string", parser);
            }
            try {
                return SdkBytes.fromByteArrayUnsafe(Base64.getDecoder().decode(parser.getText()));
            } catch (IllegalArgumentException e) {
                throw new Misfit("Value at '", "' is not valid base64.");
            }
        } else if (type == MarshallingType.SDK_POJO) {
            return readShape(parser, nestedShape(field));
        } else if (type == MarshallingType.LIST) {
            if (token != JsonToken.START_ARRAY) {
                throw mismatch("a list", parser);
            }
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            List<Object> list = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() == JsonToken.VALUE_NULL) {
                    throw new Misfit("Value at '", "' holds a null element.");
                }
                try {
                    list.add(readValue(parser, member));
                } catch (Misfit misfit) {
                    throw misfit.inside("[" + list.size() + "]");
                }
            }
            return list;
        } else if (type == MarshallingType.MAP) {
            if (token != JsonToken.START_OBJECT) {
                throw mismatch("a map", parser);
            }
            SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            Map<String, Object> map = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                if (parser.currentToken() == JsonToken.VALUE_NULL) {
                    continue;
                }
                try {
                    map.put(key, readValue(parser, member));
                } catch (Misfit misfit) {
                    throw misfit.inside("." + key);
                }
            }
            return map;
        }
        parser.skipChildren();
        return null;
    }

    /**
     * The current string token, shared with an equal string read recently when there is one: a large state holds
     * the same few values (statuses, cluster, instance and definition ARNs) in every task, and one copy of each
     * takes a fraction of the memory. Reads the parser's characters, so a repeated value allocates nothing.
     */
    private String text(JsonParser parser) throws IOException {
        char[] chars = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int length = parser.getTextLength();
        if (recentStrings == null || length > MAX_SHARED_LENGTH) {
            return new String(chars, offset, length);
        }
        int hash = 0;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + chars[offset + i];
        }
        int slot = (hash ^ (hash >>> 16)) & (recentStrings.length - 1);
        String recent = recentStrings[slot];
        if (recent != null && sameText(recent, chars, offset, length)) {
            return recent;
        }
        String value = new String(chars, offset, length);
        recentStrings[slot] = value;
        return value;
    }

    private static boolean sameText(String text, char[] chars, int offset, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    private static void requireNumber(JsonParser parser, boolean integral) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || (!integral && token == JsonToken.VALUE_NUMBER_FLOAT)) {
            return;
        }
        throw mismatch(integral ? "an integer" : "a number", parser);
    }

    private static Misfit mismatch(String expected, JsonParser parser) {
        String found = switch (parser.currentToken()) {
            case START_OBJECT -> "a structure";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> String.valueOf(parser.currentToken());
        };
        return new Misfit("Expected " + expected + " at '", "' but found " + found + ".");
    }

    /**
     * A value that does not fit its member. The member's path is added as the exception unwinds, so that reading
     * builds no path strings for the values that do fit.
     */
    private static final class Misfit extends RuntimeException {

        private final String before;
        private final String after;
        private String path = "";

        Misfit(String before, String after) {
            super(null, null, false, false);
            this.before = before;
            this.after = after;
        }

        Misfit inside(String segment) {
            path = segment + path;
            return this;
        }

        EcsException asError(String root) {
            return EcsException.serialization(before + root + path + after);
        }
    }

    private ShapeInfo shape(Class<?> type) {
        return shapes.computeIfAbsent(type, ShapeInfo::forType);
    }

    private ShapeInfo nestedShape(SdkField<?> field) {
        ShapeInfo shape = nestedShapes.get(field);
        return shape != null ? shape : nestedShapes.computeIfAbsent(field, f -> shape(f.constructor()));
    }

    private ShapeInfo shape(java.util.function.Supplier<SdkPojo> constructor) {
        // Nested shapes are keyed by the builder class the constructor makes.
        SdkPojo probe = constructor.get();
        return shapes.computeIfAbsent(probe.getClass(), c -> ShapeInfo.forBuilder(constructor, probe));
    }

    private record ShapeInfo(java.util.function.Supplier<?> builders, Map<String, SdkField<?>> fields,
            Map<String, SdkField<?>> fieldsByInternedName) {

        ShapeInfo(java.util.function.Supplier<?> builders, Map<String, SdkField<?>> fields) {
            this(builders, fields, new IdentityHashMap<>(fields));
        }

        Object newBuilder() {
            return builders.get();
        }

        /**
         * The member named so, or null. The parser interns member names, as the SDK's names are, so the lookup by
         * identity nearly always answers; the lookup by equality serves the rest.
         */
        SdkField<?> field(String name) {
            SdkField<?> field = fieldsByInternedName.get(name);
            return field != null ? field : fields.get(name);
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
                byName.put(field.locationName().intern(), field);
            }
            return Map.copyOf(byName);
        }
    }
}
