/**
 * SSM Parameter Store: {@code AmazonSSM.*} operations on String, StringList and SecureString
 * parameters, with versions, labels, hierarchies, filters and tags, each call decided by IAM
 * ({@code ssm:*} on {@code arn:aws:ssm:<region>:<account>:parameter/<name>}, and {@code kms:}
 * actions for SecureStrings under a customer key). SecureString values are sealed before they are
 * stored; a value appears only in the answer that asks for it.
 */
package io.berth.control.ssm;
