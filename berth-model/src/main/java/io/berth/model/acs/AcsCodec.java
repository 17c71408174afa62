package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads and writes ACS websocket frames: {@code {"type": "<Name>", "message": {...}}}. A frame whose type is not
 * modelled reads as {@link Unknown}; a frame that is not such an envelope, or whose body does not fit its type,
 * is an {@link IllegalArgumentException}. Thread-safe.
 */
public final class AcsCodec {

    private static final Map<String, Class<? extends AcsMessage>> TYPES = List.<Class<? extends AcsMessage>>of(
                    AckRequest.class, CloseMessage.class, ErrorMessage.class, HeartbeatAckRequest.class,
                    HeartbeatMessage.class, IAMRoleCredentialsAckRequest.class, IAMRoleCredentialsMessage.class,
                    PayloadMessage.class, TaskManifestMessage.class, TaskStopVerificationAck.class,
                    TaskStopVerificationMessage.class)
            .stream().collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    /** The wire type name of a message. */
    public static String typeOf(AcsMessage message) {
        return message instanceof Unknown unknown ? unknown.type() : message.getClass().getSimpleName();
    }

    public String write(AcsMessage message) {
        try {
            ObjectNode envelope = mapper.createObjectNode();
            envelope.put("type", typeOf(message));
            if (message instanceof Unknown unknown) {
                envelope.set("message", unknown.messageJson() == null
                        ? mapper.createObjectNode() : mapper.readTree(unknown.messageJson()));
            } else {
                envelope.set("message", mapper.valueToTree(message));
            }
            return mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot write " + typeOf(message) + ": " + e.getMessage(), e);
        }
    }

    public AcsMessage read(String frame) {
        JsonNode envelope;
        try {
            envelope = mapper.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Frame is not JSON: " + e.getOriginalMessage(), e);
        }
        if (envelope == null || !envelope.isObject() || !envelope.path("type").isTextual()) {
            throw new IllegalArgumentException("Frame is not an ACS envelope {\"type\":...,\"message\":...}");
        }
        String type = envelope.get("type").asText();
        JsonNode body = envelope.path("message");
        Class<? extends AcsMessage> shape = TYPES.get(type);
        if (shape == null) {
            return new Unknown(type, body.isMissingNode() ? null : body.toString());
        }
        try {
            return mapper.treeToValue(body.isMissingNode() || body.isNull() ? mapper.createObjectNode() : body, shape);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Malformed " + type + ": " + e.getOriginalMessage(), e);
        }
    }
}
