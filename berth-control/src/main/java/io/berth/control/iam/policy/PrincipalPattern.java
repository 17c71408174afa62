package io.berth.control.iam.policy;

import java.util.List;

/**
 * The {@code Principal} (or {@code NotPrincipal}) element of a trust or resource policy statement:
 * {@code "*"}, or principals by kind ({@code {"AWS": [...], "Service": "ecs-tasks.amazonaws.com"}}).
 */
final class PrincipalPattern {

    /** One principal named by the policy; {@code kind} is AWS, Service, Federated or CanonicalUser. */
    record Entry(String kind, String value) {
    }

    private final boolean everyone;
    private final List<Entry> entries;

    private PrincipalPattern(boolean everyone, List<Entry> entries) {
        this.everyone = everyone;
        this.entries = List.copyOf(entries);
    }

    static PrincipalPattern everyone() {
        return new PrincipalPattern(true, List.of());
    }

    static PrincipalPattern of(List<Entry> entries) {
        return new PrincipalPattern(false, entries);
    }

    /** Whether the pattern lists this AWS principal ARN itself (not through {@code *} or its account). */
    boolean names(String principalArn) {
        return !everyone && entries.stream().anyMatch(e -> "AWS".equals(e.kind()) && e.value().equals(principalArn));
    }

    boolean matches(Principal principal) {
        if (everyone) {
            return true;
        }
        for (Entry entry : entries) {
            if (matches(entry, principal)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Entry entry, Principal principal) {
        return switch (entry.kind()) {
            case "AWS" -> principal.type() == Principal.Type.AWS && matchesAws(entry.value(), principal);
            case "Service" -> principal.isService() && entry.value().equalsIgnoreCase(principal.id());
            default -> false;
        };
    }

    /**
     * An account (its id or its root ARN) stands for every principal of that account; a role stands for
     * itself and for its sessions; anything else must be named exactly.
     */
    private static boolean matchesAws(String value, Principal principal) {
        if (value.equals("*")) {
            return true;
        }
        if (isAccountId(value)) {
            return value.equals(principal.accountId());
        }
        if (value.equals(principal.id())) {
            return true;
        }
        Principal named = Principal.aws(value);
        if (!"iam".equals(named.field(2)) || !same(named.field(1), principal.field(1))
                || !same(named.field(4), principal.accountId())) {
            return false;
        }
        String resource = named.field(5);
        if ("root".equals(resource)) {
            return true;
        }
        if (resource != null && resource.startsWith("role/")) {
            String roleName = resource.substring(resource.lastIndexOf('/') + 1);
            return roleName.equals(principal.assumedRoleName());
        }
        return false;
    }

    private static boolean same(String a, String b) {
        return a != null && a.equals(b);
    }

    static boolean isAccountId(String value) {
        if (value.length() != 12) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
