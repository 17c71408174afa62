package io.berth.control.iam;

import io.berth.control.Caller;
import io.berth.control.Scope;
import io.berth.control.crypto.SealedDocuments;
import io.berth.control.iam.Directory.Policies;
import io.berth.control.store.Store;
import io.berth.model.EcsException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import software.amazon.awssdk.services.iam.model.AttachUserPolicyRequest;
import software.amazon.awssdk.services.iam.model.CreateAccessKeyRequest;
import software.amazon.awssdk.services.iam.model.CreateUserRequest;

/**
 * Identity and access of every account: the IAM API, and what the rest of Berth asks of it (the
 * policies of a principal, a role and its trust policy). IAM entities are kept straight in the store,
 * so the command line and every server node on the same store see the same accounts.
 */
public final class Iam {

    /** The policies AWS's managed AdministratorAccess grants: everything. */
    public static final String ADMINISTRATOR_ACCESS = "AdministratorAccess";

    /**
     * The identity policies of one principal, inline and attached, as JSON documents, with a version
     * that changes whenever any of them may have changed (decisions can be cached per version).
     */
    public record PrincipalPolicies(List<String> documents, long version) {

        public PrincipalPolicies {
            documents = List.copyOf(documents);
        }
    }

    /** A role as its users see it: where it is, who may assume it and for how long at most. */
    public record RoleInfo(String arn, String name, String roleId, String trustPolicy, int maxSessionDurationSeconds) {
    }

    private final Directories directories;
    private final Sessions sessions;
    /** The last answer of {@link #policiesOf} per principal, good while its account's version holds. */
    private final Map<String, KnownPolicies> policiesByPrincipal = new ConcurrentHashMap<>();
    private final AccessKeys keys;
    private final Clock clock;
    private final Authorizer authorizer = new PolicyAuthorizer(this);

    public Iam(Store store, AccessKeys keys, Clock clock) {
        this.directories = new Directories(store, clock);
        this.sessions = new Sessions(store, keys.sealer(), clock);
        this.keys = keys;
        this.clock = clock;
    }

    /** The stored secret keys of access keys and temporary credentials, for sealing them again. */
    public static SealedDocuments sealedDocuments() {
        return new IamSeals();
    }

    /**
     * Decides with the identity policies IAM keeps: the authorizer of every ECS, IAM and STS call
     * and agent session.
     */
    public Authorizer authorizer() {
        return authorizer;
    }

    /** Adds the IAM actions; callers that are not an account's root are asked of the authorizer. */
    public void addIamTo(QueryOperations operations, Authorizer authorizer) {
        new IamService(directories, keys, authorizer, clock).addTo(operations);
    }

    /**
     * Adds the STS actions. AssumeRole checks the role's trust policy and, for callers other than an
     * account's root that the trust policy does not name, asks the authorizer for sts:AssumeRole.
     */
    public void addStsTo(QueryOperations operations, Authorizer authorizer) {
        new StsService(directories, sessions, authorizer).addTo(operations);
    }

    /**
     * Role credentials for tasks, from the same sessions as STS's AssumeRole: the role's trust policy
     * must allow {@link RoleSessions#ECS_TASKS}.
     */
    public RoleSessions roleSessions() {
        return new StsService(directories, sessions, Authorizer.allowAll());
    }

    /**
     * The temporary credentials with this key id ({@code ASIA…}), expired or not, for verifying
     * signatures; read from the store once and then cached until they expire.
     */
    public Optional<SessionKey> sessionKey(String accessKeyId) {
        return sessions.find(accessKeyId);
    }

    /**
     * The identity policies of a user ({@code arn:aws:iam::123456789012:user/alice}) or of an
     * assumed-role session ({@code arn:aws:sts::123456789012:assumed-role/app/s}, the role's); none
     * for an account's root or an unknown principal. Read from a cache at most a few seconds old.
     */
    public PrincipalPolicies policiesOf(String principalArn) {
        // Every decision asks: a known principal costs two map lookups, its ARN is parsed only once.
        KnownPolicies known = policiesByPrincipal.get(principalArn);
        if (known != null && known.policies().version() == directories.cached(known.account()).version()) {
            return known.policies();
        }
        Optional<Principals.Principal> principal = Principals.parse(principalArn);
        if (principal.isEmpty()) {
            return new PrincipalPolicies(List.of(), 0);
        }
        Directory directory = directories.cached(principal.get().account());
        PrincipalPolicies current = collectPolicies(principal.get(), directory);
        if (policiesByPrincipal.size() > 100_000) {
            policiesByPrincipal.clear();
        }
        policiesByPrincipal.put(principalArn, new KnownPolicies(principal.get().account(), current));
        return current;
    }

    private record KnownPolicies(String account, PrincipalPolicies policies) {
    }

    private static PrincipalPolicies collectPolicies(Principals.Principal principal, Directory directory) {
        Optional<Policies> policies = switch (principal.type()) {
            case "user" -> directory.user(principal.name()).map(Directory.User::policies);
            case "assumed-role" -> directory.role(principal.name()).map(Directory.Role::policies);
            default -> Optional.empty();
        };
        List<String> documents = new ArrayList<>();
        policies.ifPresent(p -> {
            documents.addAll(p.inline().values());
            for (String arn : p.attached()) {
                AwsManagedPolicies.byArn(arn).ifPresentOrElse(aws -> documents.add(aws.document()),
                        () -> directory.policies().values().stream()
                                .filter(m -> arn.endsWith(":policy" + m.path() + m.name()))
                                .findFirst()
                                .ifPresent(m -> documents.add(m.defaultVersion().document())));
            }
        });
        return new PrincipalPolicies(documents, directory.version());
    }

    /** The role with this ARN ({@code arn:aws:iam::123456789012:role/path/name}), if it exists. */
    public Optional<RoleInfo> role(String roleArn) {
        Optional<Principals.Principal> parsed = Principals.parse(roleArn);
        if (parsed.isEmpty() || !"role".equals(parsed.get().type())) {
            return Optional.empty();
        }
        Principals.Principal principal = parsed.get();
        return directories.cached(principal.account()).role(principal.name())
                .map(r -> new RoleInfo(Principals.arn(principal.partition(), principal.account(), "role", r.path(), r.name()),
                        r.name(), r.id(), r.trustPolicy(), r.maxSessionDuration()))
                .filter(r -> r.arn().equals(roleArn));
    }

    /**
     * An administrator for an account without going through the API: the user (created when
     * missing) with AdministratorAccess attached and a new access key.
     */
    public AccessKey bootstrapAdmin(String partition, String accountId, String userName) {
        Caller root = new Caller(new Scope(partition, accountId, "us-east-1"), Principals.root(partition, accountId));
        IamService service = new IamService(directories, keys, Authorizer.allowAll(), clock);
        try {
            service.createUser(root, CreateUserRequest.builder().userName(userName).build());
        } catch (EcsException e) {
            if (!"EntityAlreadyExists".equals(e.code())) {
                throw e;
            }
        }
        service.attachUserPolicy(root, AttachUserPolicyRequest.builder().userName(userName)
                .policyArn("arn:" + partition + ":iam::aws:policy/" + ADMINISTRATOR_ACCESS).build());
        var created = service.createAccessKey(root, CreateAccessKeyRequest.builder().userName(userName).build());
        return keys.find(created.accessKey().accessKeyId()).orElseThrow();
    }
}
