/**
 * IAM enforcement of the ECS API. {@link io.berth.control.access.AccessControl} is the entry the
 * edge calls with each decoded request; the table of what each operation asks (action, resource
 * ARNs, condition keys) and the name resolution behind it stay inside the package. The rules read
 * the decoded SDK shape and the current state only, so an authorization costs a few map lookups
 * and no re-encoding; the account root skips it altogether.
 */
package io.berth.control.access;
