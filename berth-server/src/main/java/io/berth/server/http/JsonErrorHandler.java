package io.berth.server.http;

import io.berth.model.Ids;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself (no handler for the path, a URI it cannot read, headers too large) in
 * the AWS JSON error shape, so that clients parse them like any other ECS error.
 */
public final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        if (response.getHeaders().get("x-amzn-RequestId") == null) {
            response.getHeaders().put("x-amzn-RequestId", Ids.uuid());
        }
        String type;
        if (code == HttpStatus.NOT_FOUND_404 || code == HttpStatus.METHOD_NOT_ALLOWED_405) {
            type = "UnknownOperationException";
        } else if (code >= 500) {
            type = "ServerException";
        } else {
            type = "SerializationException";
        }
        // A server error's message may be an exception's, which tells a client about the server's insides.
        String text = message == null || message.isEmpty() || code >= 500 ? HttpStatus.getMessage(code) : message;
        if (code == HttpStatus.NOT_FOUND_404) {
            text = "No ECS endpoint at " + Request.getPathInContext(request) + "; use POST / or POST /services/Container.";
        }
        JsonHandler.sendError(response, callback, code, type, text);
    }
}
