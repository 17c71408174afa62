package io.berth.model.acs;

/**
 * A message on the ACS websocket, in either direction. On the wire each one is wrapped as
 * {@code {"type": "<record name>", "message": {...}}}; see {@link AcsCodec}.
 */
public sealed interface AcsMessage permits AckRequest, CloseMessage, ErrorMessage, HeartbeatAckRequest,
        HeartbeatMessage, IAMRoleCredentialsAckRequest, IAMRoleCredentialsMessage, PayloadMessage,
        TaskManifestMessage, TaskStopVerificationAck, TaskStopVerificationMessage, Unknown {
}
