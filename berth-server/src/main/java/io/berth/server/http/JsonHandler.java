package io.berth.server.http;

import io.berth.control.Caller;
import io.berth.control.Scope;
import io.berth.control.access.RequestOrigin;
import io.berth.model.EcsException;
import io.berth.model.Ids;
import io.berth.server.api.JsonTable;
import io.berth.server.api.OperationTable;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.SigV4Verifier;
import io.berth.server.auth.SignedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint of every AWS JSON 1.1 service Berth answers (ECS, CloudWatch Logs, SSM, Secrets
 * Manager): {@code POST /} (and {@code /services/Container}). Finds the service by the
 * {@code X-Amz-Target} prefix, reads the body up to that service's limit, authenticates it as signed
 * for that service, runs the operation, and answers JSON or an AWS error; every answer carries
 * {@code x-amzn-RequestId}.
 */
public final class JsonHandler extends Handler.Abstract {

    /** The largest body any service here reads; the Query handler holds to it too. */
    public static final int MAX_BODY_BYTES = OperationTable.MAX_BODY_BYTES;
    private static final long DRAIN_LIMIT_BYTES = 16L << 20;
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final Logger log = LoggerFactory.getLogger(JsonHandler.class);

    private final List<JsonTable> services;
    private final Authenticator authenticator;
    private final String partition;
    private final ForwardedOrigin origins;
    private final ApiCall.Listener listener;

    /**
     * @param services the services answered, the first (ECS) naming the error for a request without a known target
     * @param origins tells where a request another node forwarded came from
     */
    public JsonHandler(List<JsonTable> services, Authenticator authenticator, String partition,
            ForwardedOrigin origins) {
        this(services, authenticator, partition, origins, ApiCall.Listener.NONE);
    }

    /** As above, telling {@code listener} of every call before its answer goes out. */
    public JsonHandler(List<JsonTable> services, Authenticator authenticator, String partition,
            ForwardedOrigin origins, ApiCall.Listener listener) {
        this.services = List.copyOf(services);
        this.authenticator = authenticator;
        this.partition = partition;
        this.origins = origins;
        this.listener = listener;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = Ids.uuid();
        response.getHeaders().put("x-amzn-RequestId", requestId);
        String path = Request.getPathInContext(request);
        if (!"/".equals(path) && !"/services/Container".equals(path) && !"/services/Container/".equals(path)) {
            return false;
        }
        RequestLogContext.enter(requestId);
        Instant started = Instant.now();
        long start = System.nanoTime();
        JsonTable service = null;
        String operation = null;
        Caller caller = null;
        String accessKeyId = null;
        byte[] body = null;
        RequestOrigin origin = origins.of(request);
        int status;
        String errorCode = null;
        byte[] answer;
        try {
            if (!"POST".equals(request.getMethod())) {
                throw new EcsException("UnknownOperationException", 400, "ECS answers POST requests only.");
            }
            String target = request.getHeaders().get("X-Amz-Target");
            service = serviceOf(target);
            operation = target.substring(service.targetPrefix().length());
            body = readBody(request, service.maxBodyBytes());
            SignedRequest signed = new SignedRequest("POST", request.getHttpURI().getPath(),
                    request.getHttpURI().getQuery(), SignedRequest.headersOf(request.getHeaders()), body);
            var identity = authenticator.authenticate(signed);
            accessKeyId = identity.accessKeyId();
            SigV4Verifier.requireService(signed, service.signingName());
            caller = new Caller(new Scope(partition, identity.accountId(), identity.region()),
                    identity.principalArn());
            answer = service.invoke(operation, caller, origin, body);
            status = 200;
        } catch (EcsException e) {
            status = e.httpStatus();
            errorCode = e.code();
            answer = errorBody(e.code(), e.getMessage());
        } catch (RuntimeException | IOException e) {
            log.error("Request {} failed", requestId, e);
            status = 500;
            errorCode = "ServerException";
            answer = errorBody(errorCode, "Internal server error (request " + requestId + ").");
        }
        tell(new ApiCall(requestId, service != null ? service.signingName() : null, operation, caller,
                origin.sourceIp(), request.getHeaders().get(HttpHeader.USER_AGENT), body, Map.of(), started,
                System.nanoTime() - start, status, errorCode, accessKeyId));
        if (errorCode != null) {
            response.getHeaders().put("x-amzn-ErrorType", errorCode);
        }
        send(response, callback, status, answer);
        return true;
    }

    private void tell(ApiCall call) {
        try {
            listener.answered(call);
        } catch (RuntimeException e) {
            log.error("Telling of request {} failed", call.requestId(), e);
        }
    }

    private JsonTable serviceOf(String target) {
        if (target != null) {
            for (JsonTable service : services) {
                if (target.startsWith(service.targetPrefix())) {
                    return service;
                }
            }
        }
        String ecs = services.get(0).targetPrefix();
        throw new EcsException("UnknownOperationException", 400,
                "X-Amz-Target must name an operation of " + ecs.substring(0, ecs.length() - 1));
    }

    private static byte[] readBody(Request request, int maxBytes) throws IOException {
        try (InputStream in = Request.asInputStream(request)) {
            long length = request.getLength();
            if (length > maxBytes) {
                throw tooLarge(in, maxBytes);
            }
            // A declared length is read into an array of its size at once, instead of growing one as it comes.
            byte[] body = in.readNBytes(length >= 0 ? (int) length + 1 : maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge(in, maxBytes);
            }
            return body;
        }
    }

    /**
     * The refusal of an oversize body. A moderately oversize body is read to its end first: a
     * client still sending when the answer goes out and the connection closes sees a reset instead
     * of the answer.
     */
    private static EcsException tooLarge(InputStream in, int maxBytes) throws IOException {
        long skipped = 0;
        long step;
        while (skipped < DRAIN_LIMIT_BYTES && (step = in.skip(DRAIN_LIMIT_BYTES - skipped)) > 0) {
            skipped += step;
        }
        return new EcsException("SerializationException", 413,
                "The request body is larger than " + maxBytes + " bytes.");
    }

    public static void send(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    public static void sendError(Response response, Callback callback, int status, String code, String message) {
        response.getHeaders().put("x-amzn-ErrorType", code);
        send(response, callback, status, errorBody(code, message));
    }

    private static byte[] errorBody(String code, String message) {
        return ("{\"__type\":\"" + code + "\",\"message\":" + quote(message) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String text) {
        char[] escaped = com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                .quoteAsString(text == null ? "" : text);
        return "\"" + new String(escaped) + "\"";
    }
}
