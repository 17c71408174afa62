package io.berth.control.iam.policy;

import io.berth.control.iam.AccessRequest;
import java.util.List;

/** One compiled statement of a policy: everything that could be worked out from the text alone already is. */
final class Statement {

    private final String sid;
    private final boolean allow;
    private final Glob[] actions;
    private final boolean notAction;
    private final Template[] resources;
    private final Glob[] constantResources;
    private final boolean notResource;
    private final PrincipalPattern principals;
    private final boolean notPrincipal;
    private final Condition[] conditions;

    Statement(String sid, boolean allow, List<String> actions, boolean notAction, List<String> resources,
            boolean notResource, PrincipalPattern principals, boolean notPrincipal, List<Condition> conditions,
            boolean variables) {
        this.sid = sid;
        this.allow = allow;
        this.actions = actions.stream().map(a -> Glob.of(a, true, false)).toArray(Glob[]::new);
        this.notAction = notAction;
        if (resources == null) {
            this.resources = null;
            this.constantResources = null;
        } else {
            this.resources = resources.stream().map(r -> Template.of(r, variables)).toArray(Template[]::new);
            this.constantResources = new Glob[this.resources.length];
            for (int i = 0; i < this.resources.length; i++) {
                if (this.resources[i].constant()) {
                    constantResources[i] = this.resources[i].glob(null, false, true);
                }
            }
        }
        this.notResource = notResource;
        this.principals = principals;
        this.notPrincipal = notPrincipal;
        this.conditions = conditions.toArray(Condition[]::new);
    }

    String sid() {
        return sid;
    }

    boolean allow() {
        return allow;
    }

    /** Whether the statement applies to the request, the Principal element left aside. */
    boolean applies(RequestContext context) {
        AccessRequest request = context.request();
        return actionMatches(request.action()) && resourceMatches(context) && conditionsHold(context);
    }

    /** Whether this is an Allow whose {@code Principal} lists the ARN itself. */
    boolean allowsByName(String principalArn) {
        return allow && !notPrincipal && principals != null && principals.names(principalArn);
    }

    /** Whether the statement applies to the request made by this principal (resource and trust policies). */
    boolean appliesTo(Principal principal, RequestContext context) {
        if (principals != null && principals.matches(principal) == notPrincipal) {
            return false;
        }
        return applies(context);
    }

    private boolean actionMatches(String action) {
        boolean any = false;
        for (int i = 0; i < actions.length && !any; i++) {
            any = actions[i].matches(action);
        }
        return any != notAction;
    }

    private boolean resourceMatches(RequestContext context) {
        if (resources == null) {
            return true;
        }
        String resource = context.request().resource();
        if (resource == null) {
            resource = "*";
        }
        boolean any = false;
        for (int i = 0; i < resources.length && !any; i++) {
            Glob glob = constantResources[i] != null ? constantResources[i] : resources[i].glob(context, false, true);
            any = glob != null && glob.matches(resource);
        }
        return any != notResource;
    }

    private boolean conditionsHold(RequestContext context) {
        for (Condition condition : conditions) {
            if (!condition.holds(context)) {
                return false;
            }
        }
        return true;
    }
}
