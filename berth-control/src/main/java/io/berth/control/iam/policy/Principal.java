package io.berth.control.iam.policy;

import java.util.Objects;

/**
 * Who asks, as a trust or resource policy sees it: an AWS principal named by its ARN (the account root
 * {@code arn:aws:iam::123456789012:root}, a user, a role, an assumed-role session
 * {@code arn:aws:sts::123456789012:assumed-role/app/session}) or a service ({@code ecs-tasks.amazonaws.com}).
 */
public record Principal(Type type, String id) {

    public enum Type {
        AWS,
        SERVICE
    }

    public Principal {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static Principal aws(String arn) {
        return new Principal(Type.AWS, arn);
    }

    public static Principal service(String name) {
        return new Principal(Type.SERVICE, name);
    }

    public boolean isService() {
        return type == Type.SERVICE;
    }

    /** Whether this is an account's root user, {@code arn:<partition>:iam::<account>:root}. */
    public boolean isAccountRoot() {
        return type == Type.AWS && id.endsWith(":root") && "iam".equals(field(2)) && "root".equals(field(5));
    }

    /** The account of an AWS principal, or null for a service. */
    public String accountId() {
        return type == Type.AWS ? field(4) : null;
    }

    /**
     * The ARN that {@code aws:PrincipalArn} holds: the role's ARN for an assumed-role session, the
     * principal's own ARN otherwise.
     */
    public String principalArn() {
        if (type != Type.AWS) {
            return null;
        }
        String roleName = assumedRoleName();
        return roleName == null ? id : "arn:" + field(1) + ":iam::" + field(4) + ":role/" + roleName;
    }

    /** The user name of an IAM user, as {@code aws:username} holds it; null for other principals. */
    public String userName() {
        String resource = type == Type.AWS && "iam".equals(field(2)) ? field(5) : null;
        if (resource == null || !resource.startsWith("user/")) {
            return null;
        }
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    /** The value of {@code aws:PrincipalType}: Account, User, AssumedRole, FederatedUser; null for a service. */
    public String principalType() {
        if (type != Type.AWS) {
            return null;
        }
        String resource = field(5);
        if (resource == null) {
            return null;
        }
        if ("root".equals(resource)) {
            return "Account";
        }
        if (resource.startsWith("user/")) {
            return "User";
        }
        if (resource.startsWith("assumed-role/")) {
            return "AssumedRole";
        }
        if (resource.startsWith("federated-user/")) {
            return "FederatedUser";
        }
        return null;
    }

    /** The name of the role a session assumed ({@code app} for {@code …:assumed-role/app/session}), else null. */
    String assumedRoleName() {
        String resource = type == Type.AWS && "sts".equals(field(2)) ? field(5) : null;
        if (resource == null || !resource.startsWith("assumed-role/")) {
            return null;
        }
        int slash = resource.indexOf('/', "assumed-role/".length());
        return slash < 0 ? null : resource.substring("assumed-role/".length(), slash);
    }

    /** Field {@code index} of the ARN (0 is "arn", 5 the resource with any colons it holds), or null. */
    String field(int index) {
        if (!id.startsWith("arn:")) {
            return null;
        }
        int start = 0;
        for (int i = 0; i < index; i++) {
            int colon = id.indexOf(':', start);
            if (colon < 0) {
                return null;
            }
            start = colon + 1;
        }
        int end = index == 5 ? id.length() : id.indexOf(':', start);
        return end < 0 ? null : id.substring(start, end);
    }
}
