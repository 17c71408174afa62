package io.berth.control.iam;

import java.util.Optional;

/** IAM and STS ARNs of principals and entities: {@code arn:aws:iam::123456789012:user/path/name}. */
final class Principals {

    private Principals() {
    }

    /** A parsed principal ARN: its partition, account, type ({@code root}, {@code user}, {@code assumed-role}) and name. */
    record Principal(String partition, String account, String type, String name, String sessionName) {
    }

    static String arn(String partition, String account, String type, String path, String name) {
        return "arn:" + partition + ":iam::" + account + ":" + type + path + name;
    }

    static String root(String partition, String account) {
        return "arn:" + partition + ":iam::" + account + ":root";
    }

    static String assumedRole(String partition, String account, String roleName, String sessionName) {
        return "arn:" + partition + ":sts::" + account + ":assumed-role/" + roleName + "/" + sessionName;
    }

    static boolean isRoot(String principalArn) {
        return parse(principalArn).map(p -> "root".equals(p.type())).orElse(false);
    }

    static Optional<Principal> parse(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !"arn".equals(parts[0])) {
            return Optional.empty();
        }
        String resource = parts[5];
        if ("iam".equals(parts[2]) && "root".equals(resource)) {
            return Optional.of(new Principal(parts[1], parts[4], "root", null, null));
        }
        int slash = resource.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String type = resource.substring(0, slash);
        String rest = resource.substring(slash + 1);
        if ("sts".equals(parts[2]) && "assumed-role".equals(type)) {
            int sessionSlash = rest.lastIndexOf('/');
            if (sessionSlash < 0) {
                return Optional.empty();
            }
            return Optional.of(new Principal(parts[1], parts[4], type, rest.substring(0, sessionSlash),
                    rest.substring(sessionSlash + 1)));
        }
        if ("iam".equals(parts[2])) {
            return Optional.of(new Principal(parts[1], parts[4], type, rest.substring(rest.lastIndexOf('/') + 1), null));
        }
        return Optional.empty();
    }
}
