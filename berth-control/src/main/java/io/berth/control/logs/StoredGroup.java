package io.berth.control.logs;

import java.util.Map;

/**
 * A log group as stored.
 *
 * @param scope the key of the account and region it belongs to
 * @param retentionInDays null when its events are kept forever
 * @param storedBytes the UTF-8 bytes of its events' messages
 */
public record StoredGroup(long id, String scope, String name, long creationTime, Integer retentionInDays,
        String kmsKeyId, String logGroupClass, long storedBytes) {

    /** A group to create, with its first tags. */
    public record New(String scope, String name, long creationTime, String kmsKeyId, String logGroupClass,
            Map<String, String> tags) {

        public New {
            tags = Map.copyOf(tags);
        }
    }
}
