package io.berth.server.auth;

/** Establishes who sent a request, or throws the AWS error that says why not. */
@FunctionalInterface
public interface Authenticator {

    Identity authenticate(SignedRequest request);

    /** Every request verified by SigV4 against the stored access keys. */
    static Authenticator sigV4(SigV4Verifier verifier) {
        return verifier::verify;
    }

    /**
     * Development mode: any credentials, or none, act as the root of one account; the region still
     * comes from the signature's scope when there is one.
     */
    static Authenticator anyone(String accountId, String defaultRegion) {
        return request -> new Identity(accountId, "arn:aws:iam::" + accountId + ":root", "dev",
                SigV4Verifier.claimedRegion(request).orElse(defaultRegion));
    }
}
