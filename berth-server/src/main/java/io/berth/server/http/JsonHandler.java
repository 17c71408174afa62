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

    /**
     * @param services the services answered, the first (ECS) naming the error for a request without a known target
     * @param origins tells where a request another node forwarded came from
     */
    public JsonHandler(List<JsonTable> services, Authenticator authenticator, String partition,
            ForwardedOrigin origins) {
        this.services = List.copyOf(services);
        this.authenticator = authenticator;
        this.partition = partition;
        this.origins = origins;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = Ids.uuid();
        response.getHeaders().put("x-amzn-RequestId", requestId);
        String path = Request.getPathInContext(request);
        if (!"/".equals(path) && !"/services/Container".equals(path) && !"/services/Container/".equals(path)) {
            return false;
        }
        try {
            if (!"POST".equals(request.getMethod())) {
                throw new EcsException("UnknownOperationException", 400, "ECS answers POST requests only.");
            }
            String target = request.getHeaders().get("X-Amz-Target");
            JsonTable service = serviceOf(target);
            byte[] body = readBody(request, service.maxBodyBytes());
            String operation = target.substring(service.targetPrefix().length());
            SignedRequest signed = new SignedRequest("POST", request.getHttpURI().getPath(),
                    request.getHttpURI().getQuery(), SignedRequest.headersOf(request.getHeaders()), body);
            var identity = authenticator.authenticate(signed);
            SigV4Verifier.requireService(signed, service.signingName());
            Caller caller = new Caller(new Scope(partition, identity.accountId(), identity.region()),
                    identity.principalArn());
            RequestOrigin origin = origins.of(request);
            byte[] answer = service.invoke(operation, caller, origin, body);
            send(response, callback, 200, answer);
        } catch (EcsException e) {
            sendError(response, callback, e.httpStatus(), e.code(), e.getMessage());
        } catch (RuntimeException | IOException e) {
            log.error("Request {} failed", requestId, e);
            sendError(response, callback, 500, "ServerException", "Internal server error (request " + requestId + ").");
        }
        return true;
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
        String body = "{\"__type\":\"" + code + "\",\"message\":" + quote(message) + "}";
        send(response, callback, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String text) {
        char[] escaped = com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                .quoteAsString(text == null ? "" : text);
        return "\"" + new String(escaped) + "\"";
    }
}
