package io.berth.control.audit;

/**
 * What LookupEvents asks the store: one scope's records with {@code start <= eventTime <= end}, those
 * matching the attribute when there is one, after the cursor when there is one.
 *
 * @param attribute what to match, or null for every record
 * @param value the value the attribute must have
 * @param after the last record of the previous page, or null for the first page
 */
public record AuditQuery(String scope, Attribute attribute, String value, long start, long end, Cursor after,
        int limit) {

    /** CloudTrail's lookup attributes. */
    public enum Attribute {
        EVENT_ID, EVENT_NAME, READ_ONLY, USERNAME, RESOURCE_TYPE, RESOURCE_NAME, EVENT_SOURCE, ACCESS_KEY_ID
    }

    /** Where a page ended: records come after it in the order (eventTime desc, eventId desc). */
    public record Cursor(long eventTime, String eventId) {
    }
}
