/**
 * Secrets Manager: {@code secretsmanager.*} operations on secrets with string or binary values,
 * their versions and staging labels (AWSCURRENT, AWSPREVIOUS, AWSPENDING), scheduled deletion with
 * a recovery window, tags and random passwords; each call decided by IAM ({@code secretsmanager:*}
 * on the secret's ARN, and {@code kms:} actions for a secret under a customer key). Values are
 * sealed before they are stored.
 */
package io.berth.control.secrets;
