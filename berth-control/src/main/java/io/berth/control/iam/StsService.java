package io.berth.control.iam;

import io.berth.control.Caller;
import io.berth.control.Scope;
import io.berth.control.iam.policy.MalformedPolicyException;
import io.berth.control.iam.policy.PolicyDocument;
import io.berth.control.iam.policy.PolicyEvaluator;
import io.berth.control.iam.policy.Principal;
import io.berth.model.EcsException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * The STS API: who the caller is, and temporary credentials of roles whose trust policy allows the
 * caller. GetCallerIdentity needs no permission, as in AWS. The same sessions serve tasks' roles.
 */
final class StsService implements RoleSessions {

    static final String ASSUME_ROLE = "sts:AssumeRole";
    static final int MIN_DURATION = 900;
    static final int MAX_DURATION = 43200;
    static final int DEFAULT_DURATION = 3600;
    /** Role chaining (a session assuming a role) is limited to an hour, as in AWS. */
    static final int CHAINED_MAX_DURATION = 3600;
    /** How long task role credentials last; the control plane refreshes them before they expire. */
    static final Duration TASK_SESSION = Duration.ofHours(6);
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");

    private final Directories directories;
    private final Sessions sessions;
    private final Authorizer authorizer;

    StsService(Directories directories, Sessions sessions, Authorizer authorizer) {
        this.directories = directories;
        this.sessions = sessions;
        this.authorizer = authorizer;
    }

    void addTo(QueryOperations operations) {
        operations.add("GetCallerIdentity", GetCallerIdentityRequest.class, this::getCallerIdentity);
        operations.add("AssumeRole", AssumeRoleRequest.class, this::assumeRole);
    }

    GetCallerIdentityResponse getCallerIdentity(Caller caller, GetCallerIdentityRequest request) {
        String account = caller.scope().account();
        String userId = Principals.parse(caller.principalArn()).map(p -> switch (p.type()) {
            case "user" -> directories.cached(p.account()).user(p.name()).map(Directory.User::id).orElse(null);
            case "assumed-role" -> directories.cached(p.account()).role(p.name())
                    .map(r -> r.id() + ":" + p.sessionName()).orElse(null);
            default -> null;
        }).orElse(account);
        return GetCallerIdentityResponse.builder().userId(userId).account(account).arn(caller.principalArn()).build();
    }

    AssumeRoleResponse assumeRole(Caller caller, AssumeRoleRequest request) {
        String roleArn = IamErrors.required("roleArn", request.roleArn());
        if (roleArn.length() < 20 || roleArn.length() > 2048) {
            throw IamErrors.constraint("roleArn", roleArn, "Member must have length between 20 and 2048");
        }
        String sessionName = IamErrors.required("roleSessionName", request.roleSessionName());
        if (sessionName.length() < 2 || sessionName.length() > 64) {
            throw IamErrors.constraint("roleSessionName", sessionName, "Member must have length between 2 and 64");
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw IamErrors.constraint("roleSessionName", sessionName,
                    "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        if (request.policy() != null || request.hasPolicyArns()) {
            throw IamErrors.validation("Session policies (Policy, PolicyArns) are not supported by Berth.");
        }
        Integer requested = request.durationSeconds();
        if (requested != null && (requested < MIN_DURATION || requested > MAX_DURATION)) {
            throw IamErrors.constraint("durationSeconds", requested, requested < MIN_DURATION
                    ? "Member must have value greater than or equal to " + MIN_DURATION
                    : "Member must have value less than or equal to " + MAX_DURATION);
        }
        AccessRequest access = new AccessRequest(ASSUME_ROLE, roleArn);
        Optional<Located> role = locate(roleArn);
        Optional<PolicyDocument> trust = role.flatMap(r -> trustPolicy(r.role()));
        boolean trusted = trust.isPresent()
                && PolicyEvaluator.allowsAssume(trust.get(), Principal.aws(caller.principalArn()), access);
        // Within an account, a trust policy naming the caller itself is enough; otherwise the caller's
        // own policies must allow sts:AssumeRole as well.
        boolean namedInTrust = trust.isPresent() && role.get().account().equals(caller.scope().account())
                && trust.get().allowsByName(caller.principalArn());
        // An explicit deny in the caller's own policies refuses it even then.
        Decision identity = Principals.isRoot(caller.principalArn()) ? Decision.ALLOW : authorizer.decide(caller, access);
        boolean identityAllows = identity != Decision.EXPLICIT_DENY && (namedInTrust || identity.allowed());
        if (!trusted || !identityAllows) {
            throw IamErrors.accessDenied(caller.principalArn(), ASSUME_ROLE, roleArn, false);
        }
        Directory.Role found = role.get().role();
        boolean chained = Principals.parse(caller.principalArn()).map(p -> "assumed-role".equals(p.type())).orElse(false);
        int duration = requested != null ? requested : DEFAULT_DURATION;
        if (chained && duration > CHAINED_MAX_DURATION) {
            throw IamErrors.validation("The requested DurationSeconds exceeds the 1 hour session limit for roles "
                    + "assumed by role chaining.");
        }
        if (duration > found.maxSessionDuration()) {
            throw IamErrors.validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        SessionCredentials credentials = start(role.get(), roleArn, sessionName, Duration.ofSeconds(duration));
        return AssumeRoleResponse.builder()
                .credentials(c -> c.accessKeyId(credentials.accessKeyId()).secretAccessKey(credentials.secretAccessKey())
                        .sessionToken(credentials.sessionToken()).expiration(credentials.expiration()))
                .assumedRoleUser(u -> u.assumedRoleId(found.id() + ":" + sessionName).arn(credentials.assumedRoleArn()))
                .build();
    }

    @Override
    public SessionCredentials assumeForTask(Scope scope, String roleArn, String taskArn) {
        Optional<Located> role = locate(roleArn).filter(r -> r.account().equals(scope.account()));
        if (role.isEmpty()) {
            throw EcsException.clientException("Role " + roleArn + " does not exist in account " + scope.account() + ".");
        }
        if (!trusts(role.get().role(), Principal.service(ECS_TASKS), new AccessRequest(ASSUME_ROLE, roleArn))) {
            throw EcsException.clientException("Role " + roleArn + " cannot be assumed by " + ECS_TASKS
                    + ": its trust policy does not allow " + ECS_TASKS + " to perform " + ASSUME_ROLE + ".");
        }
        String taskId = taskArn.substring(taskArn.lastIndexOf('/') + 1);
        String sessionName = taskId.length() > 64 ? taskId.substring(0, 64) : taskId;
        return start(role.get(), roleArn, sessionName.length() < 2 ? "task-" + sessionName : sessionName, TASK_SESSION);
    }

    /** A role's trust policy, or none when it no longer parses: a policy stored before it was checked fails closed. */
    private static Optional<PolicyDocument> trustPolicy(Directory.Role role) {
        try {
            return Optional.of(PolicyDocument.parse(role.trustPolicy(), PolicyDocument.Kind.TRUST));
        } catch (MalformedPolicyException e) {
            return Optional.empty();
        }
    }

    /** Whether the role's trust policy lets the principal make the request. */
    private static boolean trusts(Directory.Role role, Principal principal, AccessRequest request) {
        return trustPolicy(role).map(trust -> PolicyEvaluator.allowsAssume(trust, principal, request)).orElse(false);
    }

    /** A role found by its ARN, with the account and partition the ARN names. */
    private record Located(String partition, String account, Directory.Role role) {
    }

    private Optional<Located> locate(String roleArn) {
        return Principals.parse(roleArn).filter(p -> "role".equals(p.type())).flatMap(p ->
                directories.cached(p.account()).role(p.name())
                        .filter(r -> Principals.arn(p.partition(), p.account(), "role", r.path(), r.name()).equals(roleArn))
                        .map(r -> new Located(p.partition(), p.account(), r)));
    }

    private SessionCredentials start(Located role, String roleArn, String sessionName, Duration duration) {
        String assumedRoleArn = Principals.assumedRole(role.partition(), role.account(), role.role().name(), sessionName);
        return sessions.create(role.account(), roleArn, role.role().id(), assumedRoleArn, sessionName, duration);
    }
}
