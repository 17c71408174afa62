package io.berth.control.iam;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One account's IAM entities, stored as one document so that every change is one atomic write and
 * {@link #version} says whether anything changed. Names are unique regardless of case, as in IAM, so
 * entities are keyed by their lower-case name.
 */
record Directory(long version, Map<String, User> users, Map<String, Role> roles, Map<String, ManagedPolicy> policies,
        Map<String, InstanceProfile> instanceProfiles) {

    Directory {
        users = sorted(users);
        roles = sorted(roles);
        policies = sorted(policies);
        instanceProfiles = sorted(instanceProfiles);
    }

    static Directory empty() {
        return new Directory(0, Map.of(), Map.of(), Map.of(), Map.of());
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    Optional<User> user(String name) {
        return Optional.ofNullable(users.get(key(name)));
    }

    Optional<Role> role(String name) {
        return Optional.ofNullable(roles.get(key(name)));
    }

    Optional<ManagedPolicy> policy(String name) {
        return Optional.ofNullable(policies.get(key(name)));
    }

    Optional<InstanceProfile> instanceProfile(String name) {
        return Optional.ofNullable(instanceProfiles.get(key(name)));
    }

    Directory with(User user) {
        return new Directory(version, put(users, user.name(), user), roles, policies, instanceProfiles);
    }

    Directory withoutUser(String name) {
        return new Directory(version, remove(users, name), roles, policies, instanceProfiles);
    }

    Directory with(Role role) {
        return new Directory(version, users, put(roles, role.name(), role), policies, instanceProfiles);
    }

    Directory withoutRole(String name) {
        return new Directory(version, users, remove(roles, name), policies, instanceProfiles);
    }

    Directory with(ManagedPolicy policy) {
        return new Directory(version, users, roles, put(policies, policy.name(), policy), instanceProfiles);
    }

    Directory withoutPolicy(String name) {
        return new Directory(version, users, roles, remove(policies, name), instanceProfiles);
    }

    Directory with(InstanceProfile profile) {
        return new Directory(version, users, roles, policies, put(instanceProfiles, profile.name(), profile));
    }

    Directory withoutInstanceProfile(String name) {
        return new Directory(version, users, roles, policies, remove(instanceProfiles, name));
    }

    Directory nextVersion() {
        return new Directory(version + 1, users, roles, policies, instanceProfiles);
    }

    /** How many users and roles have the managed policy attached. */
    int attachmentCount(String policyArn) {
        return (int) (users.values().stream().filter(u -> u.attachedPolicies().contains(policyArn)).count()
                + roles.values().stream().filter(r -> r.attachedPolicies().contains(policyArn)).count());
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(map));
    }

    private static <V> Map<String, V> put(Map<String, V> map, String name, V value) {
        Map<String, V> copy = new TreeMap<>(map);
        copy.put(key(name), value);
        return copy;
    }

    private static <V> Map<String, V> remove(Map<String, V> map, String name) {
        Map<String, V> copy = new TreeMap<>(map);
        copy.remove(key(name));
        return copy;
    }

    /** Inline policies by name, in the order they were first put, and attached managed policy ARNs. */
    record Policies(Map<String, String> inline, List<String> attached) {

        Policies {
            inline = inline == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inline));
            attached = attached == null ? List.of() : List.copyOf(attached);
        }

        static Policies none() {
            return new Policies(Map.of(), List.of());
        }

        Optional<String> inlineNamed(String name) {
            return inline.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst();
        }

        Policies withInline(String name, String document) {
            Map<String, String> copy = new java.util.LinkedHashMap<>(inline);
            String existing = copy.keySet().stream().filter(k -> k.equalsIgnoreCase(name)).findFirst().orElse(name);
            copy.put(existing, document);
            return new Policies(copy, attached);
        }

        Policies withoutInline(String name) {
            Map<String, String> copy = new java.util.LinkedHashMap<>(inline);
            copy.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            return new Policies(copy, attached);
        }

        Policies attach(String arn) {
            if (attached.contains(arn)) {
                return this;
            }
            List<String> copy = new ArrayList<>(attached);
            copy.add(arn);
            return new Policies(inline, copy);
        }

        Policies detach(String arn) {
            List<String> copy = new ArrayList<>(attached);
            copy.remove(arn);
            return new Policies(inline, copy);
        }
    }

    record User(String name, String path, String id, Instant created, Policies policies, Map<String, String> tags) {

        User {
            tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        }

        List<String> attachedPolicies() {
            return policies.attached();
        }

        User with(Function<Policies, Policies> change) {
            return new User(name, path, id, created, change.apply(policies), tags);
        }

        User withTags(Map<String, String> newTags) {
            return new User(name, path, id, created, policies, newTags);
        }
    }

    record Role(String name, String path, String id, Instant created, String trustPolicy, String description,
            int maxSessionDuration, Policies policies, Map<String, String> tags) {

        Role {
            tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        }

        List<String> attachedPolicies() {
            return policies.attached();
        }

        Role with(Function<Policies, Policies> change) {
            return new Role(name, path, id, created, trustPolicy, description, maxSessionDuration,
                    change.apply(policies), tags);
        }

        Role withTrustPolicy(String document) {
            return new Role(name, path, id, created, document, description, maxSessionDuration, policies, tags);
        }

        Role withTags(Map<String, String> newTags) {
            return new Role(name, path, id, created, trustPolicy, description, maxSessionDuration, policies, newTags);
        }
    }

    record PolicyVersion(String versionId, String document, Instant created) {
    }

    record ManagedPolicy(String name, String path, String id, Instant created, Instant updated, String description,
            String defaultVersionId, int lastVersionNumber, List<PolicyVersion> versions, Map<String, String> tags) {

        ManagedPolicy {
            versions = List.copyOf(versions);
            tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        }

        Optional<PolicyVersion> version(String versionId) {
            return versions.stream().filter(v -> v.versionId().equals(versionId)).findFirst();
        }

        PolicyVersion defaultVersion() {
            return version(defaultVersionId).orElseThrow();
        }
    }

    record InstanceProfile(String name, String path, String id, Instant created, List<String> roleNames,
            Map<String, String> tags) {

        InstanceProfile {
            roleNames = List.copyOf(roleNames);
            tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        }

        InstanceProfile withRoles(List<String> names) {
            return new InstanceProfile(name, path, id, created, names, tags);
        }
    }
}
