package io.berth.server.http;

import io.berth.control.Caller;
import io.berth.control.Scope;
import io.berth.model.AwsQuery;
import io.berth.model.EcsException;
import io.berth.model.Ids;
import io.berth.server.api.QueryTable;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.Identity;
import io.berth.server.auth.SigV4Verifier;
import io.berth.server.auth.SignedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IAM and STS on the ECS endpoint: AWS Query requests ({@code POST /} with a form body, or
 * {@code GET /?Action=…}) whose SigV4 scope names the service {@code iam} or {@code sts}. Other
 * requests pass on to the ECS handler. Answers are XML, errors too, as IAM and STS write them.
 */
public final class QueryHandler extends Handler.Abstract {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final long DRAIN_LIMIT_BYTES = 16L << 20;
    private static final Set<String> STS_ACTIONS = Set.of("GetCallerIdentity", "AssumeRole", "GetSessionToken",
            "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML", "GetFederationToken", "DecodeAuthorizationMessage",
            "GetAccessKeyInfo");
    private static final Logger log = LoggerFactory.getLogger(QueryHandler.class);

    private final QueryTable iam;
    private final QueryTable sts;
    private final Authenticator authenticator;
    private final String partition;

    private final ApiCall.Listener listener;

    public QueryHandler(QueryTable iam, QueryTable sts, Authenticator authenticator, String partition) {
        this(iam, sts, authenticator, partition, ApiCall.Listener.NONE);
    }

    /** As above, telling {@code listener} of every call before its answer goes out. */
    public QueryHandler(QueryTable iam, QueryTable sts, Authenticator authenticator, String partition,
            ApiCall.Listener listener) {
        this.iam = iam;
        this.sts = sts;
        this.authenticator = authenticator;
        this.partition = partition;
        this.listener = listener;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!"/".equals(path) && !path.isEmpty()) {
            return false;
        }
        String method = request.getMethod();
        String query = request.getHttpURI().getQuery();
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        boolean form = "POST".equals(method) && contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith(FORM);
        boolean get = "GET".equals(method) && query != null && (query.startsWith("Action=") || query.contains("&Action="));
        if (!form && !get) {
            return false;
        }
        SignedRequest probe = new SignedRequest(method, request.getHttpURI().getPath(), query,
                SignedRequest.headersOf(request.getHeaders()), new byte[0]);
        String service = SigV4Verifier.claimedService(probe).orElse(null);
        if (service != null && !"iam".equals(service) && !"sts".equals(service)) {
            return false;
        }
        String requestId = Ids.uuid();
        response.getHeaders().put("x-amzn-RequestId", requestId);
        RequestLogContext.enter(requestId);
        Instant started = Instant.now();
        long start = System.nanoTime();
        QueryTable table = iam;
        Map<String, String> params = new LinkedHashMap<>();
        Caller caller = null;
        String accessKeyId = null;
        int status;
        String errorCode = null;
        byte[] answer;
        try {
            byte[] body = form ? readBody(request) : new byte[0];
            params.putAll(AwsQuery.parseForm(query));
            params.putAll(AwsQuery.parseForm(new String(body, StandardCharsets.UTF_8)));
            table = "sts".equals(service) || (service == null && STS_ACTIONS.contains(params.get("Action"))) ? sts : iam;
            SignedRequest signed = new SignedRequest(method, request.getHttpURI().getPath(), query,
                    probe.headers(), body);
            Identity identity = authenticator.authenticate(signed);
            accessKeyId = identity.accessKeyId();
            caller = new Caller(new Scope(partition, identity.accountId(), identity.region()),
                    identity.principalArn());
            answer = table.invoke(caller, params, requestId);
            status = 200;
        } catch (EcsException e) {
            EcsException error = asQueryError(e);
            status = error.httpStatus();
            errorCode = error.code();
            answer = table.codec().error(error.code(), error.httpStatus(), error.getMessage(), requestId);
        } catch (RuntimeException | IOException e) {
            log.error("Request {} failed", requestId, e);
            status = 500;
            errorCode = "ServiceFailure";
            answer = table.codec().error(errorCode, 500, "Internal server error (request " + requestId + ").",
                    requestId);
        }
        ApiCall call = new ApiCall(requestId, table == sts ? "sts" : "iam", params.get("Action"), caller,
                Request.getRemoteAddr(request), request.getHeaders().get(HttpHeader.USER_AGENT), null,
                Collections.unmodifiableMap(params), started, System.nanoTime() - start, status, errorCode, accessKeyId);
        try {
            listener.answered(call);
        } catch (RuntimeException e) {
            log.error("Telling of request {} failed", requestId, e);
        }
        send(response, callback, status, answer);
        return true;
    }

    /** Authentication errors under the names IAM and STS give them (the JSON services name them differently). */
    static EcsException asQueryError(EcsException e) {
        return switch (e.code()) {
            case "UnrecognizedClientException" -> new EcsException("InvalidClientTokenId", 403, e.getMessage());
            case "InvalidSignatureException" -> new EcsException("SignatureDoesNotMatch", 403, e.getMessage());
            case "MissingAuthenticationTokenException" ->
                    new EcsException("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
            case "IncompleteSignatureException" -> new EcsException("IncompleteSignature", 400, e.getMessage());
            case "ExpiredTokenException" -> new EcsException("ExpiredToken", 400, e.getMessage());
            default -> e;
        };
    }

    private static byte[] readBody(Request request) throws IOException {
        try (InputStream in = Request.asInputStream(request)) {
            byte[] body = in.readNBytes(JsonHandler.MAX_BODY_BYTES + 1);
            if (body.length > JsonHandler.MAX_BODY_BYTES) {
                // Read a moderately oversize body to its end so the client sees the answer, not a reset.
                long skipped = 0;
                long step;
                while (skipped < DRAIN_LIMIT_BYTES && (step = in.skip(DRAIN_LIMIT_BYTES - skipped)) > 0) {
                    skipped += step;
                }
                throw new EcsException("RequestEntityTooLarge", 413,
                        "The request body is larger than " + JsonHandler.MAX_BODY_BYTES + " bytes.");
            }
            return body;
        }
    }

    private static void send(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/xml");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
