package io.berth.e2e;

import java.lang.reflect.Method;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;

/**
 * Request bodies made from the AWS SDK's own model of each operation: its request class's {@code sdkFields()} give
 * every member's wire name and type. Each body is one of a few {@link Kind}s, from a well-formed request with
 * random values to members of the wrong type and values no client would send; the same seed makes the same bodies.
 */
final class FuzzBodies {

    /** What a generated body holds. */
    enum Kind {
        /** Every member of its type, with ordinary values. */
        VALID,
        /** Every member of its type, at the edges of its range and beyond. */
        BOUNDARY,
        /** Members of another type than the model says. */
        WRONG_TYPE,
        /** Values meant to cost the server: huge numbers, long and odd strings, many elements. */
        HOSTILE
    }

    /** One operation of a service: its name and the SDK class of its request. */
    record Operation(String name, Class<? extends SdkRequest> requestType) {
    }

    private static final int MAX_DEPTH = 4;
    private static final String[] ODD_STRINGS = {"", " ", "\u0000", "\uD83E\uDD84".repeat(50), "\u202Eevil",
            "../../../../etc/passwd", "'; DROP TABLE resources; --", "%00%ZZ", "\\u0000", "<x>&amp;</x>",
            "arn:aws:ecs:us-east-1:000000000000:task/other/0123456789abcdef0123456789abcdef",
            "arn:aws:iam::000000000000:role/other", "*", "a".repeat(70_000)};
    private static final String[] BOUNDARY_NUMBERS = {"0", "-1", "2147483647", "-2147483648", "2147483648",
            "9223372036854775807", "-9223372036854775808", "99999999999999999999", "1e308", "-0"};
    private static final String[] HOSTILE_NUMBERS = {"1e99999999", "-1e99999999", "1e-99999999", "1E2147483647",
            "9".repeat(2000), "0." + "0".repeat(2000) + "1", "1.7976931348623157e309", "123456789012345678901e-5"};
    private static final String[] BOUNDARY_TIMES = {"0", "-1", "253402300800", "-62135596800", "1e16",
            "9223372036854775.807", "1700000000.9995"};

    private final Random random;

    FuzzBodies(long seed) {
        this.random = new Random(seed);
    }

    /** The operations a service client names: each method taking one request object. */
    static List<Operation> operationsOf(Class<?> clientInterface) {
        TreeMap<String, Operation> operations = new TreeMap<>();
        for (Method method : clientInterface.getMethods()) {
            Class<?>[] parameters = method.getParameterTypes();
            if (parameters.length == 1 && SdkRequest.class.isAssignableFrom(parameters[0])
                    && parameters[0].getSimpleName().endsWith("Request")) {
                String name = parameters[0].getSimpleName().replaceFirst("Request$", "");
                operations.put(name, new Operation(name, parameters[0].asSubclass(SdkRequest.class)));
            }
        }
        return List.copyOf(operations.values());
    }

    /** The members of a request shape, from a fresh builder of it. */
    static List<SdkField<?>> fieldsOf(Class<? extends SdkRequest> requestType) {
        try {
            return ((SdkPojo) requestType.getMethod("builder").invoke(null)).sdkFields();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(requestType + " has no builder", e);
        }
    }

    /** An AWS JSON 1.1 body for the operation. */
    String json(Operation operation, Kind kind) {
        StringBuilder out = new StringBuilder();
        object(fieldsOf(operation.requestType()), kind, 0, out);
        return out.toString();
    }

    /** Bodies that are not a request at all: not JSON, not Unicode, or nested beyond reason. */
    static List<byte[]> malformedBodies() {
        List<byte[]> bodies = new ArrayList<>();
        for (String text : new String[] {"", "null", "[]", "\"text\"", "42", "{", "{\"a\":}", "{} {}",
                "{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}", "{\"x\":NaN}", "{\"x\":Infinity}",
                "\uFEFF{}", "{\"x\":\"\\ud800\"}"}) {
            bodies.add(text.getBytes(StandardCharsets.UTF_8));
        }
        bodies.add(new byte[] {0, 0, 0, '{', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, '}'});
        bodies.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, 0x28, '"', '}'});
        bodies.add(new byte[] {(byte) 0xff, (byte) 0xfe, '{', 0, '}', 0});
        bodies.add(new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xd8, 0, 0, '}'});
        return bodies;
    }

    private void object(List<SdkField<?>> fields, Kind kind, int depth, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (SdkField<?> field : fields) {
            // Every member at the top; deeper, about half of them, so that bodies stay small.
            if (depth > 0 && random.nextBoolean()) {
                continue;
            }
            out.append(first ? "" : ",").append(quote(field.locationName())).append(':');
            first = false;
            value(field, kind, depth, out);
        }
        out.append('}');
    }

    private void value(SdkField<?> field, Kind kind, int depth, StringBuilder out) {
        MarshallingType<?> type = field.marshallingType();
        if (kind == Kind.WRONG_TYPE && random.nextInt(3) > 0) {
            out.append(wrongType(type));
        } else if (type == MarshallingType.STRING) {
            out.append(quote(kind == Kind.VALID || kind == Kind.WRONG_TYPE ? word()
                    : ODD_STRINGS[random.nextInt(ODD_STRINGS.length)]));
        } else if (type == MarshallingType.INTEGER || type == MarshallingType.LONG) {
            out.append(number(kind, Integer.toString(random.nextInt(100))));
        } else if (type == MarshallingType.DOUBLE || type == MarshallingType.FLOAT
                || type == MarshallingType.BIG_DECIMAL) {
            out.append(number(kind, random.nextInt(1000) / 8.0 + ""));
        } else if (type == MarshallingType.BOOLEAN) {
            out.append(random.nextBoolean());
        } else if (type == MarshallingType.INSTANT) {
            out.append(kind == Kind.BOUNDARY ? BOUNDARY_TIMES[random.nextInt(BOUNDARY_TIMES.length)]
                    : number(kind, "1700000000." + random.nextInt(1000)));
        } else if (type == MarshallingType.SDK_BYTES) {
            out.append(quote(kind == Kind.HOSTILE ? "!!not base64!!"
                    : Base64.getEncoder().encodeToString(word().getBytes(StandardCharsets.UTF_8))));
        } else if (type == MarshallingType.SDK_POJO) {
            if (depth >= MAX_DEPTH) {
                out.append("{}");
            } else {
                object(field.constructor().get().sdkFields(), kind, depth + 1, out);
            }
        } else if (type == MarshallingType.LIST) {
            SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
            int count = kind == Kind.HOSTILE && depth == 0 ? 300 : 1 + random.nextInt(2);
            out.append('[');
            for (int i = 0; i < count && depth < MAX_DEPTH; i++) {
                out.append(i == 0 ? "" : ",");
                value(member, kind == Kind.HOSTILE && i > 0 ? Kind.VALID : kind, depth + 1, out);
            }
            out.append(']');
        } else if (type == MarshallingType.MAP) {
            SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
            out.append('{').append(quote(kind == Kind.HOSTILE ? "" : word())).append(':');
            value(member, kind, depth + 1, out);
            out.append('}');
        } else {
            out.append("null");
        }
    }

    private String number(Kind kind, String ordinary) {
        return switch (kind) {
            case BOUNDARY -> BOUNDARY_NUMBERS[random.nextInt(BOUNDARY_NUMBERS.length)];
            case HOSTILE -> HOSTILE_NUMBERS[random.nextInt(HOSTILE_NUMBERS.length)];
            default -> ordinary;
        };
    }

    private String wrongType(MarshallingType<?> type) {
        if (type == MarshallingType.STRING) {
            return random.nextBoolean() ? "42" : "{\"a\":[1]}";
        }
        if (type == MarshallingType.LIST) {
            return "{\"not\":\"a list\"}";
        }
        if (type == MarshallingType.SDK_POJO || type == MarshallingType.MAP) {
            return random.nextBoolean() ? "[1,2]" : "\"a string\"";
        }
        return random.nextBoolean() ? "\"ten\"" : "[true]";
    }

    /** An AWS Query form for the action, with members named as the Query protocol names them. */
    String form(Operation operation, String version, Kind kind) {
        StringBuilder form = new StringBuilder("Action=").append(operation.name()).append("&Version=").append(version);
        formMembers(fieldsOf(operation.requestType()), "", kind, 0, form);
        return form.toString();
    }

    private void formMembers(List<SdkField<?>> fields, String prefix, Kind kind, int depth, StringBuilder form) {
        for (SdkField<?> field : fields) {
            String name = prefix + field.locationName();
            MarshallingType<?> type = field.marshallingType();
            if (type == MarshallingType.SDK_POJO && depth < MAX_DEPTH) {
                formMembers(field.constructor().get().sdkFields(), name + ".", kind, depth + 1, form);
            } else if (type == MarshallingType.LIST) {
                SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
                int count = kind == Kind.HOSTILE ? 50 : 1 + random.nextInt(2);
                for (int i = 1; i <= count; i++) {
                    if (member.marshallingType() == MarshallingType.SDK_POJO && depth < MAX_DEPTH) {
                        formMembers(member.constructor().get().sdkFields(), name + ".member." + i + ".", kind,
                                depth + 1, form);
                    } else {
                        form.append('&').append(name).append(".member.").append(i).append('=')
                                .append(formValue(member.marshallingType(), kind));
                    }
                }
            } else if (type == MarshallingType.MAP) {
                form.append('&').append(name).append(".entry.1.key=").append(formValue(MarshallingType.STRING, kind))
                        .append('&').append(name).append(".entry.1.value=")
                        .append(formValue(MarshallingType.STRING, kind));
            } else {
                form.append('&').append(name).append('=').append(formValue(type, kind));
            }
        }
    }

    private String formValue(MarshallingType<?> type, Kind kind) {
        if (kind == Kind.HOSTILE && random.nextInt(4) == 0) {
            return random.nextBoolean() ? "%ZZ" : "%C3%28%FF";
        }
        String text;
        if (kind == Kind.WRONG_TYPE) {
            text = type == MarshallingType.STRING ? "42" : "ten";
        } else if (type == MarshallingType.INTEGER || type == MarshallingType.LONG
                || type == MarshallingType.DOUBLE || type == MarshallingType.FLOAT) {
            text = number(kind, Integer.toString(random.nextInt(100)));
        } else if (type == MarshallingType.INSTANT) {
            text = kind == Kind.VALID ? "2026-01-01T00:00:00Z" : kind == Kind.BOUNDARY ? "+999999999-12-31T23:59:59Z"
                    : "9".repeat(5000);
        } else if (type == MarshallingType.BOOLEAN) {
            text = kind == Kind.VALID ? "true" : "TRUE ";
        } else {
            text = kind == Kind.VALID ? word() : ODD_STRINGS[random.nextInt(ODD_STRINGS.length)];
        }
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private String word() {
        return "fuzz-" + Integer.toString(random.nextInt(1 << 20), 36);
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
