package io.berth.model;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
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
 * The AWS Query protocol codec (IAM, STS): form parameters ({@code Tags.member.1.Key=k}) into the
 * AWS SDK v2 request shapes, and response shapes into the XML those services answer, driven by each
 * shape's {@code sdkFields()}. Unknown parameters are ignored; absent members are omitted on output;
 * timestamps are ISO-8601.
 *
 * <p>Thread-safe; one instance per service namespace.
 */
public final class AwsQuery {

    public static final String IAM_NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
    public static final String STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    /** The members IAM answers URL-encoded: policy documents. */
    public static final Set<String> IAM_POLICY_DOCUMENTS = Set.of("AssumeRolePolicyDocument", "PolicyDocument",
            "Document");

    private final String namespace;
    private final Set<String> urlEncodedMembers;
    private final Map<Class<?>, Supplier<?>> builders = new ConcurrentHashMap<>();

    public AwsQuery(String namespace, Set<String> urlEncodedMembers) {
        this.namespace = namespace;
        this.urlEncodedMembers = Set.copyOf(urlEncodedMembers);
    }

    public static AwsQuery iam() {
        return new AwsQuery(IAM_NAMESPACE, IAM_POLICY_DOCUMENTS);
    }

    public static AwsQuery sts() {
        return new AwsQuery(STS_NAMESPACE, Set.of());
    }

    public String namespace() {
        return namespace;
    }

    /** The parameters of an {@code application/x-www-form-urlencoded} body or query string, in order. */
    public static Map<String, String> parseForm(String form) {
        Map<String, String> params = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return params;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw new EcsException("MalformedQueryString", 400, "The query string is not validly encoded: " + excerpt(pair));
            }
        }
        return params;
    }

    /** Reads one request shape from the parameters; {@code Action} and {@code Version} are not members. */
    public <T extends SdkPojo> T read(Map<String, String> params, Class<T> type) {
        Supplier<?> builder = builders.computeIfAbsent(type, AwsQuery::builderOf);
        return type.cast(readShape(builder, params, ""));
    }

    private Object readShape(Supplier<?> builders, Map<String, String> params, String prefix) {
        Object builder = builders.get();
        for (SdkField<?> field : ((SdkPojo) builder).sdkFields()) {
            Object value = readValue(field, params, prefix + field.locationName());
            if (value != null) {
                field.set(builder, value);
            }
        }
        return ((Buildable) builder).build();
    }

    private Object readValue(SdkField<?> field, Map<String, String> params, String name) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            return hasAny(params, name + ".") ? readShape(field.constructor(), params, name + ".") : null;
        }
        if (type == MarshallingType.LIST) {
            ListTrait trait = field.getRequiredTrait(ListTrait.class);
            String memberPrefix = trait.isFlattened() ? name + "." : name + "." + memberName(trait) + ".";
            List<Object> list = new ArrayList<>();
            for (int i = 1; ; i++) {
                Object element = readValue(trait.memberFieldInfo(), params, memberPrefix + i);
                if (element == null) {
                    break;
                }
                list.add(element);
            }
            if (list.isEmpty() && !"".equals(params.get(name))) {
                return null;
            }
            return list;
        }
        if (type == MarshallingType.MAP) {
            MapTrait trait = field.getRequiredTrait(MapTrait.class);
            String entryPrefix = trait.isFlattened() ? name + "." : name + ".entry.";
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 1; ; i++) {
                String key = params.get(entryPrefix + i + "." + orDefault(trait.keyLocationName(), "key"));
                if (key == null) {
                    break;
                }
                Object value = readValue(trait.valueFieldInfo(), params,
                        entryPrefix + i + "." + orDefault(trait.valueLocationName(), "value"));
                if (value != null) {
                    map.put(key, value);
                }
            }
            return map.isEmpty() && !"".equals(params.get(name)) ? null : map;
        }
        String text = params.get(name);
        if (text == null) {
            return null;
        }
        try {
            if (type == MarshallingType.STRING) {
                return text;
            } else if (type == MarshallingType.INTEGER) {
                return Integer.valueOf(text.trim());
            } else if (type == MarshallingType.LONG) {
                return Long.valueOf(text.trim());
            } else if (type == MarshallingType.DOUBLE) {
                return Double.valueOf(text.trim());
            } else if (type == MarshallingType.FLOAT) {
                return Float.valueOf(text.trim());
            } else if (type == MarshallingType.BIG_DECIMAL) {
                return new BigDecimal(text.trim());
            } else if (type == MarshallingType.BOOLEAN) {
                if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                    throw malformed(name, text, "a boolean");
                }
                return Boolean.valueOf(text);
            } else if (type == MarshallingType.INSTANT) {
                return Instant.parse(text.trim());
            } else if (type == MarshallingType.SDK_BYTES) {
                return SdkBytes.fromByteArrayUnsafe(Base64.getDecoder().decode(text));
            }
        } catch (NumberFormatException e) {
            throw malformed(name, text, "a number");
        } catch (DateTimeParseException e) {
            throw malformed(name, text, "an ISO-8601 timestamp");
        } catch (IllegalArgumentException e) {
            throw malformed(name, text, "base64");
        }
        return null;
    }

    private static EcsException malformed(String name, String text, String expected) {
        return new EcsException("MalformedInput", 400,
                "Value '" + excerpt(text) + "' of parameter " + excerpt(name) + " is not " + expected + ".");
    }

    /** The start of a value an error quotes: a hostile request's megabyte is not echoed back. */
    private static String excerpt(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    private static boolean hasAny(Map<String, String> params, String prefix) {
        for (String key : params.keySet()) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The answer to one action: {@code <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…}.
     * A response shape without members has no result element, as IAM answers DeleteRole.
     */
    public byte[] response(String action, SdkPojo result, String requestId) {
        StringBuilder xml = new StringBuilder(512);
        xml.append('<').append(action).append("Response xmlns=\"").append(namespace).append("\">");
        if (!result.sdkFields().isEmpty()) {
            xml.append('<').append(action).append("Result>");
            writeFields(result, xml);
            xml.append("</").append(action).append("Result>");
        }
        xml.append("<ResponseMetadata><RequestId>").append(escape(requestId))
                .append("</RequestId></ResponseMetadata>");
        xml.append("</").append(action).append("Response>");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An error as IAM and STS write them; 5xx errors are the receiver's fault, all others the sender's. */
    public byte[] error(String code, int httpStatus, String message, String requestId) {
        String xml = "<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>"
                + (httpStatus >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + escape(code) + "</Code><Message>"
                + escape(message == null ? "" : message) + "</Message></Error><RequestId>" + escape(requestId)
                + "</RequestId></ErrorResponse>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private void writeFields(SdkPojo value, StringBuilder xml) {
        for (SdkField<?> field : value.sdkFields()) {
            Object member = field.getValueOrDefault(value);
            if (member == null || member instanceof SdkAutoConstructList || member instanceof SdkAutoConstructMap) {
                continue;
            }
            String name = field.unmarshallLocationName();
            if (field.marshallingType() == MarshallingType.LIST
                    && field.getRequiredTrait(ListTrait.class).isFlattened()) {
                SdkField<?> memberField = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
                for (Object element : (Collection<?>) member) {
                    element(name, memberField, element, xml);
                }
                continue;
            }
            element(name, field, member, xml);
        }
    }

    private void element(String name, SdkField<?> field, Object value, StringBuilder xml) {
        xml.append('<').append(name).append('>');
        writeValue(field, value, xml);
        xml.append("</").append(name).append('>');
    }

    private void writeValue(SdkField<?> field, Object value, StringBuilder xml) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.STRING) {
            String text = (String) value;
            xml.append(escape(urlEncodedMembers.contains(field.unmarshallLocationName()) ? urlEncode(text) : text));
        } else if (type == MarshallingType.INSTANT) {
            xml.append(((Instant) value).toString());
        } else if (type == MarshallingType.SDK_BYTES) {
            xml.append(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArrayUnsafe()));
        } else if (type == MarshallingType.SDK_POJO) {
            writeFields((SdkPojo) value, xml);
        } else if (type == MarshallingType.LIST) {
            ListTrait trait = field.getRequiredTrait(ListTrait.class);
            for (Object element : (Collection<?>) value) {
                element(memberName(trait), trait.memberFieldInfo(), element, xml);
            }
        } else if (type == MarshallingType.MAP) {
            MapTrait trait = field.getRequiredTrait(MapTrait.class);
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                xml.append("<entry><").append(orDefault(trait.keyLocationName(), "key")).append('>')
                        .append(escape(String.valueOf(entry.getKey())))
                        .append("</").append(orDefault(trait.keyLocationName(), "key")).append('>');
                element(orDefault(trait.valueLocationName(), "value"), trait.valueFieldInfo(), entry.getValue(), xml);
                xml.append("</entry>");
            }
        } else {
            xml.append(escape(String.valueOf(value)));
        }
    }

    private static String memberName(ListTrait trait) {
        return orDefault(trait.memberLocationName(), "member");
    }

    private static String orDefault(String name, String fallback) {
        return name == null || name.isEmpty() ? fallback : name;
    }

    /** Percent-encoding as IAM applies it to policy documents. */
    public static String urlEncode(String text) {
        return UriEncoding.encode(text);
    }

    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\r' -> "&#xD;";
                default -> c < 0x20 && c != '\n' && c != '\t' ? "" : null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static Supplier<?> builderOf(Class<?> type) {
        try {
            MethodHandle builder = MethodHandles.publicLookup()
                    .findStatic(type, "builder", MethodType.methodType(type.getMethod("builder").getReturnType()));
            return () -> {
                try {
                    return builder.invoke();
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            };
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(type + " is not an SDK shape", e);
        }
    }
}
