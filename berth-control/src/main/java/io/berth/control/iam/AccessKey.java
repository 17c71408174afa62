package io.berth.control.iam;

import java.time.Instant;

/** A key pair that signs requests, the account it acts in and the principal it acts as. */
public record AccessKey(String accessKeyId, String secretAccessKey, String accountId, String principalArn,
        String status, Instant created) {

    public static final String ACTIVE = "Active";
    public static final String INACTIVE = "Inactive";

    public boolean active() {
        return ACTIVE.equals(status);
    }
}
