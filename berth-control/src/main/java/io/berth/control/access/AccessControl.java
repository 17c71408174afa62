package io.berth.control.access;

import io.berth.control.Caller;
import io.berth.control.Scope;
import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.Decision;
import io.berth.control.state.State;
import io.berth.control.tag.Taggable;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.EcsRequest;

/**
 * IAM enforcement for ECS: before an operation runs, every authorization request it makes (see
 * {@link EcsAccessTable}) must be allowed, unless the caller is the account's root. A refusal is
 * AccessDeniedException with the message AWS writes.
 */
public final class AccessControl {

    /** The agent websockets, each authorized as its own action on the container instance. */
    public enum AgentSession {
        ACS("ecs:Poll"),
        TELEMETRY("ecs:StartTelemetrySession");

        private final String action;

        AgentSession(String action) {
            this.action = action;
        }

        public String action() {
            return action;
        }
    }

    private final State state;
    private final Map<String, Taggable<?>> taggables;
    private final Authorizer authorizer;
    private final Clock clock;

    /** @param taggables how to read the current tags of each resource type, for {@code aws:ResourceTag/…} */
    public AccessControl(State state, List<Taggable<?>> taggables, Authorizer authorizer, Clock clock) {
        this.state = state;
        Map<String, Taggable<?>> byType = new LinkedHashMap<>();
        taggables.forEach(t -> byType.put(t.resourceType(), t));
        this.taggables = Map.copyOf(byType);
        this.authorizer = authorizer;
        this.clock = clock;
    }

    /** Whether the operation has an authorization rule; an operation without one is refused to all but root. */
    public static boolean covers(String operation) {
        return EcsAccessTable.covers(operation);
    }

    /** Every operation that has an authorization rule. */
    public static Set<String> operations() {
        return EcsAccessTable.operations();
    }

    /** Refuses the call with AccessDeniedException unless the caller may make it. */
    public void authorize(Caller caller, String operation, EcsRequest request, RequestOrigin origin) {
        if (isRoot(caller)) {
            return;
        }
        if (!covers(operation)) {
            throw EcsException.accessDenied(message(caller, new AccessRequest("ecs:" + operation, "*"),
                    Decision.IMPLICIT_DENY));
        }
        enforce(caller, EcsAccessTable.requests(lookup(caller, origin), operation, request));
    }

    /**
     * Refuses an agent's websocket session unless the caller may open it: {@code ecs:Poll} or
     * {@code ecs:StartTelemetrySession} on the container instance, with {@code ecs:cluster}.
     */
    public void authorizeAgentSession(Caller caller, AgentSession session, String clusterRef,
            String containerInstanceArn, RequestOrigin origin) {
        if (isRoot(caller)) {
            return;
        }
        Lookup lookup = lookup(caller, origin);
        String action = session.action().substring("ecs:".length());
        enforce(caller, List.of(lookup.ask(action, lookup.containerInstanceArn(clusterRef, containerInstanceArn))
                .resourceTags().cluster(lookup.clusterArn(clusterRef)).build()));
    }

    /** The requests a call makes, as the authorizer sees them. */
    List<AccessRequest> requests(Caller caller, String operation, EcsRequest request, RequestOrigin origin) {
        return EcsAccessTable.requests(lookup(caller, origin), operation, request);
    }

    static boolean isRoot(Caller caller) {
        Scope scope = caller.scope();
        String principal = caller.principalArn();
        // arn:<partition>:iam::<account>:root
        return principal.endsWith(":root") && principal.equals("arn:" + scope.partition() + ":iam::" + scope.account()
                + ":root");
    }

    /** Every request must be allowed; an explicit deny is reported before a missing allow. */
    private void enforce(Caller caller, List<AccessRequest> requests) {
        AccessRequest implicit = null;
        for (AccessRequest request : requests) {
            Decision decision = authorizer.decide(caller, request);
            if (decision == Decision.EXPLICIT_DENY) {
                throw EcsException.accessDenied(message(caller, request, decision));
            }
            if (!decision.allowed() && implicit == null) {
                implicit = request;
            }
        }
        if (implicit != null) {
            throw EcsException.accessDenied(message(caller, implicit, Decision.IMPLICIT_DENY));
        }
    }

    /** The message AWS gives when it refuses the caller the request, by an explicit deny or for want of an allow. */
    public static String message(Caller caller, AccessRequest request, Decision decision) {
        String reason = decision == Decision.EXPLICIT_DENY
                ? "with an explicit deny in an identity-based policy"
                : "because no identity-based policy allows the " + request.action() + " action";
        return "User: " + caller.principalArn() + " is not authorized to perform: " + request.action()
                + " on resource: " + request.resource() + " " + reason;
    }

    private Lookup lookup(Caller caller, RequestOrigin origin) {
        return new Lookup(caller.scope(), state.region(caller.scope()), taggables, globalKeys(caller, origin));
    }

    /** The global condition keys every request carries. */
    private Map<String, List<String>> globalKeys(Caller caller, RequestOrigin origin) {
        Map<String, List<String>> keys = new HashMap<>(globalKeys(caller, clock.instant()));
        keys.put("aws:SecureTransport", List.of(Boolean.toString(origin.secureTransport())));
        if (origin.sourceIp() != null) {
            keys.put("aws:SourceIp", List.of(origin.sourceIp()));
        }
        return Map.copyOf(keys);
    }

    /** The global condition keys of the caller and the time, which every request carries whatever its origin. */
    public static Map<String, List<String>> globalKeys(Caller caller, Instant now) {
        Instant second = now.truncatedTo(ChronoUnit.SECONDS);
        Map<String, List<String>> keys = new HashMap<>();
        keys.put("aws:CurrentTime", List.of(DateTimeFormatter.ISO_INSTANT.format(second)));
        keys.put("aws:EpochTime", List.of(Long.toString(second.getEpochSecond())));
        keys.put("aws:PrincipalArn", List.of(caller.principalArn()));
        keys.put("aws:PrincipalAccount", List.of(caller.scope().account()));
        keys.put("aws:RequestedRegion", List.of(caller.scope().region()));
        String user = userName(caller.principalArn());
        if (user != null) {
            keys.put("aws:username", List.of(user));
        }
        return Map.copyOf(keys);
    }

    /** The friendly name of an IAM user ({@code arn:aws:iam::123456789012:user/division/alice} → alice). */
    private static String userName(String principalArn) {
        int user = principalArn.indexOf(":user/");
        return user < 0 ? null : principalArn.substring(principalArn.lastIndexOf('/') + 1);
    }
}
