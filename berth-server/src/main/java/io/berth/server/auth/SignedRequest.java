package io.berth.server.auth;

import java.util.List;
import java.util.Map;

/**
 * The parts of an HTTP request that a SigV4 signature covers.
 *
 * @param headers header values by lower-case name, in the order received
 */
public record SignedRequest(String method, String path, String rawQuery, Map<String, List<String>> headers,
        byte[] body) {

    public String header(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
