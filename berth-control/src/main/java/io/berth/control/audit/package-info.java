/**
 * The audit trail and the CloudTrail API that reads it ({@code X-Amz-Target:
 * com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents}, signed for {@code cloudtrail}).
 *
 * <ul>
 * <li>Every authenticated call that changes something, of every service Berth answers, becomes one
 * {@link io.berth.control.audit.AuditRecord}, committed to an {@link io.berth.control.audit.AuditStore}
 * before the caller hears back (safe from the server's crash at once, on the disk within a second).
 * STS calls that hand out credentials are recorded as CloudTrail records them (read-only); reads are not recorded, nor PutLogEvents, which CloudTrail counts as a data event.
 * A request whose signature failed names no account, so it is in no account's trail.</li>
 * <li>What a request asked is kept only through an allow-list of the members that name resources:
 * no request body, and so no secret value, ever reaches the trail.</li>
 * <li>Events are per account and region, as CloudTrail's event history; a sweep deletes those older
 * than 90 days.</li>
 * <li>LookupEvents is held to IAM as {@code cloudtrail:LookupEvents} on {@code *}; the other CloudTrail
 * operations answer UnsupportedOperationException.</li>
 * </ul>
 */
package io.berth.control.audit;
