package io.berth.control.iam.policy;

import io.berth.control.iam.AccessRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The condition keys of one request, looked up without regard to case as IAM does. Keys describing the
 * principal ({@code aws:PrincipalArn}, {@code aws:PrincipalAccount}, {@code aws:username},
 * {@code aws:PrincipalType}, {@code aws:PrincipalServiceName}) and the time ({@code aws:CurrentTime},
 * {@code aws:EpochTime}) are derived when the request does not carry them.
 */
final class RequestContext {

    private final AccessRequest request;
    private final Principal principal;
    private Instant now;

    RequestContext(AccessRequest request, Principal principal) {
        this.request = request;
        this.principal = principal;
    }

    AccessRequest request() {
        return request;
    }

    /** The values of a key given in lower case, or null when the request has none. */
    List<String> values(String lowerKey) {
        Map<String, List<String>> context = request.context();
        if (!context.isEmpty()) {
            List<String> exact = context.get(lowerKey);
            if (exact != null) {
                return exact;
            }
            for (Map.Entry<String, List<String>> entry : context.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(lowerKey)) {
                    return entry.getValue();
                }
            }
        }
        return derived(lowerKey);
    }

    private List<String> derived(String lowerKey) {
        String value = switch (lowerKey) {
            case "aws:principalarn" -> principal == null ? null : principal.principalArn();
            case "aws:principalaccount" -> principal == null ? null : principal.accountId();
            case "aws:username" -> principal == null ? null : principal.userName();
            case "aws:principaltype" -> principal == null ? null : principal.principalType();
            case "aws:principalservicename" -> principal == null || !principal.isService() ? null : principal.id();
            case "aws:currenttime" -> now().toString();
            case "aws:epochtime" -> Long.toString(now().getEpochSecond());
            default -> null;
        };
        return value == null ? null : List.of(value);
    }

    private Instant now() {
        if (now == null) {
            now = Instant.now();
        }
        return now;
    }
}
