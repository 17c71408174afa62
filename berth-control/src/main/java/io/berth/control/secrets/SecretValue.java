package io.berth.control.secrets;

/**
 * The value of one version as stored: sealed for its key id, the secret's ARN and the version id.
 *
 * @param binary whether the value was given as SecretBinary rather than SecretString
 */
record SecretValue(String versionId, String keyId, String sealed, boolean binary) {
}
