package io.berth.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.berth.model.EcsException;
import io.berth.server.auth.Authenticator;
import io.berth.server.auth.Identity;
import io.berth.server.auth.SigV4Verifier;
import io.berth.server.auth.SignedRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A {@code GET} of one of the server's own {@code /_berth/} paths for the operator, signed with SigV4 for service
 * {@value #SIGNING_NAME} by an account's root and answered in JSON; what it answers is the subclass's.
 */
public abstract class OperatorHandler extends Handler.Abstract {

    public static final String SIGNING_NAME = "berth";

    private final String path;
    private final Authenticator authenticator;
    private final ObjectMapper json = new ObjectMapper();

    protected OperatorHandler(String path, Authenticator authenticator) {
        this.path = path;
        this.authenticator = authenticator;
    }

    /** What the root of the signer's account is answered. */
    protected abstract JsonNode answer(Identity root) throws Exception;

    /** The refusal of a signer who is not the root of its account. */
    protected abstract EcsException notRoot(Identity signer);

    /** Answers a failure of {@link #answer} other than an {@link EcsException}. */
    protected abstract void failed(Response response, Callback callback, Exception failure);

    @Override
    public final boolean handle(Request request, Response response, Callback callback) {
        if (!path.equals(Request.getPathInContext(request))) {
            return false;
        }
        try {
            if (!"GET".equals(request.getMethod())) {
                throw new EcsException("UnsupportedOperation", 405, "Use GET " + path + ".");
            }
            SignedRequest signed = new SignedRequest("GET", request.getHttpURI().getPath(),
                    request.getHttpURI().getQuery(), SignedRequest.headersOf(request.getHeaders()), new byte[0]);
            Identity identity = authenticator.authenticate(signed);
            SigV4Verifier.requireService(signed, SIGNING_NAME);
            if (!identity.principalArn().endsWith(":root")) {
                throw notRoot(identity);
            }
            send(response, callback, 200, json.writeValueAsBytes(answer(identity)));
        } catch (EcsException e) {
            send(response, callback, e.httpStatus(), error(e.code(), e.getMessage()));
        } catch (Exception e) {
            failed(response, callback, e);
        }
        return true;
    }

    /** An error's body as the AWS JSON protocols write it. */
    protected static byte[] error(String code, String message) {
        return JsonNodeFactory.instance.objectNode().put("__type", code).put("message", message).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Answers the JSON body with the status. */
    public static void send(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
