package io.berth.control.audit;

/**
 * Who made a call, as CloudTrail's {@code userIdentity} describes it, read from the principal's ARN.
 *
 * @param type {@code Root}, {@code IAMUser}, {@code AssumedRole} or {@code Unknown}
 * @param username what LookupEvents' Username matches: a user's name, a role session's name, {@code root}
 */
record UserIdentity(String type, String arn, String accountId, String username) {

    static UserIdentity of(String principalArn, String accountId) {
        String[] parts = principalArn.split(":", 6);
        String resource = parts.length == 6 ? parts[5] : principalArn;
        if (resource.equals("root")) {
            return new UserIdentity("Root", principalArn, accountId, "root");
        }
        String last = resource.substring(resource.lastIndexOf('/') + 1);
        if (resource.startsWith("user/")) {
            return new UserIdentity("IAMUser", principalArn, accountId, last);
        }
        if (resource.startsWith("assumed-role/")) {
            return new UserIdentity("AssumedRole", principalArn, accountId, last);
        }
        return new UserIdentity("Unknown", principalArn, accountId, last);
    }

    /** Root's principal id is its account's id; others' are ids Berth does not expose, so they have none. */
    String principalId() {
        return type.equals("Root") ? accountId : null;
    }
}
