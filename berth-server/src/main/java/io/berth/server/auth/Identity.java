package io.berth.server.auth;

/** Who signed a request: the account and principal behind the key, and the region it signed for. */
public record Identity(String accountId, String principalArn, String accessKeyId, String region) {
}
