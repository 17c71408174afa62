package io.berth.control.audit;

import java.util.List;

/**
 * Where the audit trail is kept, apart from the control plane's state. Every write is committed when its
 * method returns, safe from the server's own crash, and on the disk within a second; concurrent writes
 * share a commit. Implementations live in {@code berth-store}.
 */
public interface AuditStore extends AutoCloseable {

    void append(AuditRecord record);

    /** The records the query selects, newest first (time, then event id, both descending). */
    List<AuditRecord> lookup(AuditQuery query);

    /** Deletes up to {@code maxEvents} records older than the cutoff (epoch milliseconds); answers how many. */
    int deleteOlderThan(long cutoff, int maxEvents);

    @Override
    void close();
}
