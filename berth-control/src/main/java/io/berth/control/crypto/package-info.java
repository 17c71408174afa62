/**
 * Encryption at rest of the values people keep secret (secret access keys, the secret keys of temporary
 * credentials, SecureString parameters, secret values): AES-256-GCM under the installation's master key,
 * which lives in a file of its own beside the store and never in it. A value is sealed for the key id it
 * was given and for the resource it belongs to, so a sealed value moved to another resource or key no
 * longer opens; it names the master key that sealed it, so that a rotation can seal everything again
 * under a new key while the previous one still opens what it has not reached yet.
 */
package io.berth.control.crypto;
