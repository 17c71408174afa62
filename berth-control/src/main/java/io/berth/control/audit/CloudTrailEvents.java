package io.berth.control.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The CloudTrail event document of a recorded call, as CloudTrail writes it into {@code CloudTrailEvent}. */
final class CloudTrailEvents {

    static final String EVENT_VERSION = "1.08";
    private static final JsonFactory JSON = new JsonFactory();

    private CloudTrailEvents() {
    }

    static String document(AuditedCall call, String eventId, String eventSource, boolean readOnly,
            UserIdentity identity, RequestNames request) {
        StringWriter text = new StringWriter(512);
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.writeStartObject();
            out.writeStringField("eventVersion", EVENT_VERSION);
            out.writeObjectFieldStart("userIdentity");
            out.writeStringField("type", identity.type());
            if (identity.principalId() != null) {
                out.writeStringField("principalId", identity.principalId());
            }
            out.writeStringField("arn", identity.arn());
            out.writeStringField("accountId", identity.accountId());
            if (call.accessKeyId() != null) {
                out.writeStringField("accessKeyId", call.accessKeyId());
            }
            if (identity.type().equals("IAMUser")) {
                out.writeStringField("userName", identity.username());
            }
            out.writeEndObject();
            out.writeStringField("eventTime", isoSeconds(call.time()));
            out.writeStringField("eventSource", eventSource);
            out.writeStringField("eventName", call.operation());
            out.writeStringField("awsRegion", call.scope().region());
            out.writeStringField("sourceIPAddress", call.sourceIp());
            out.writeStringField("userAgent", call.userAgent());
            writeParameters(out, request.parameters());
            out.writeNullField("responseElements");
            if (call.errorCode() != null) {
                out.writeStringField("errorCode", call.errorCode());
            }
            out.writeStringField("requestID", call.requestId());
            out.writeStringField("eventID", eventId);
            out.writeBooleanField("readOnly", readOnly);
            writeResources(out, request.resources());
            out.writeStringField("eventType", "AwsApiCall");
            out.writeBooleanField("managementEvent", true);
            out.writeStringField("recipientAccountId", call.scope().account());
            out.writeStringField("eventCategory", "Management");
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** CloudTrail's times: UTC to the second, {@code 2024-05-01T12:00:00Z}. */
    static String isoSeconds(Instant time) {
        return time.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static void writeParameters(JsonGenerator out, Map<String, List<String>> parameters) throws IOException {
        if (parameters.isEmpty()) {
            out.writeNullField("requestParameters");
            return;
        }
        out.writeObjectFieldStart("requestParameters");
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            List<String> values = parameter.getValue();
            if (values.size() == 1) {
                out.writeStringField(parameter.getKey(), values.getFirst());
            } else {
                out.writeArrayFieldStart(parameter.getKey());
                for (String value : values) {
                    out.writeString(value);
                }
                out.writeEndArray();
            }
        }
        out.writeEndObject();
    }

    private static void writeResources(JsonGenerator out, List<AuditResource> resources) throws IOException {
        if (resources.isEmpty()) {
            return;
        }
        out.writeArrayFieldStart("resources");
        for (AuditResource resource : resources) {
            out.writeStartObject();
            out.writeStringField("type", resource.type());
            out.writeStringField(resource.name().startsWith("arn:") ? "ARN" : "name", resource.name());
            out.writeEndObject();
        }
        out.writeEndArray();
    }
}
