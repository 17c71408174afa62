package io.berth.server.http;

import io.berth.control.access.RequestOrigin;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.server.Request;

/**
 * Where a request came from when a follower forwarded it to the leader: the follower states the client's address and
 * whether it used TLS in a header, authenticated with a key every node derives from the shared master key and bound
 * to the request's own signature, so that a client cannot claim another address and a header cannot be moved to
 * another request. The leader trusts the header only when it verifies; otherwise the connection's own address counts.
 */
public final class ForwardedOrigin {

    public static final String HEADER = "X-Berth-Origin";
    /** The purpose the nodes' shared key is derived for. */
    public static final String KEY_PURPOSE = "berth forwarded request origin";

    private final SecretKeySpec key;

    public ForwardedOrigin(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** The header a follower adds for a client at {@code clientIp} whose request carries {@code authorization}. */
    public String header(String clientIp, boolean secure, String authorization) {
        return clientIp + ";" + secure + ";" + mac(clientIp, secure, authorization);
    }

    /** The origin of a request: the forwarding node's statement when it verifies, the connection's otherwise. */
    public RequestOrigin of(Request request) {
        return of(new RequestOrigin(Request.getRemoteAddr(request), request.isSecure()),
                request.getHeaders().get(HEADER), request.getHeaders().get("Authorization"));
    }

    /**
     * The origin stated in the header value when it verifies against the request's {@code authorization}, the
     * connection's ({@code direct}) otherwise.
     */
    RequestOrigin of(RequestOrigin direct, String stated, String authorization) {
        if (stated == null) {
            return direct;
        }
        String[] parts = stated.split(";", 3);
        if (parts.length != 3 || !("true".equals(parts[1]) || "false".equals(parts[1]))) {
            return direct;
        }
        boolean secure = Boolean.parseBoolean(parts[1]);
        String expected = mac(parts[0], secure, authorization);
        boolean valid = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                parts[2].getBytes(StandardCharsets.US_ASCII));
        return valid ? new RequestOrigin(parts[0], secure) : direct;
    }

    private String mac(String clientIp, boolean secure, String authorization) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            String signed = clientIp + "\n" + secure + "\n" + (authorization == null ? "" : authorization);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
