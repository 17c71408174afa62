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

    /** Header values by lower-case name, as a signature needs them. */
    public static Map<String, List<String>> headersOf(org.eclipse.jetty.http.HttpFields fields) {
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        for (org.eclipse.jetty.http.HttpField field : fields) {
            headers.computeIfAbsent(field.getLowerCaseName(), k -> new java.util.ArrayList<>()).add(field.getValue());
        }
        return headers;
    }

    public String header(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
