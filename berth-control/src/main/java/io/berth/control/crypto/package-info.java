/**
 * Encryption at rest of the values people keep secret (SecureString parameters, secret values):
 * AES-256-GCM under the installation's master key, which lives in a file of its own beside the
 * store and never in it. A value is sealed for the KMS key id it was given and for the resource it
 * belongs to, so a sealed value moved to another resource or key no longer opens.
 */
package io.berth.control.crypto;
