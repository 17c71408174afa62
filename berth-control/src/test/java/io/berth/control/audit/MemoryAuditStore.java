package io.berth.control.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** An audit store in a list, selecting as the SQL stores do, for tests of what sits above it. */
final class MemoryAuditStore implements AuditStore {

    private static final Comparator<AuditRecord> NEWEST_FIRST = Comparator.comparingLong(AuditRecord::eventTime)
            .thenComparing(AuditRecord::eventId).reversed();

    final List<AuditRecord> records = new ArrayList<>();

    @Override
    public synchronized void append(AuditRecord record) {
        records.add(record);
    }

    @Override
    public synchronized List<AuditRecord> lookup(AuditQuery query) {
        return records.stream().filter(r -> r.scope().equals(query.scope()))
                .filter(r -> r.eventTime() >= query.start() && r.eventTime() <= query.end())
                .filter(r -> query.after() == null || NEWEST_FIRST.compare(r, cursorRecord(query.after())) > 0)
                .filter(matches(query)).sorted(NEWEST_FIRST).limit(query.limit()).toList();
    }

    private static AuditRecord cursorRecord(AuditQuery.Cursor cursor) {
        return new AuditRecord("", cursor.eventId(), cursor.eventTime(), "", "", false, "", null, List.of(), "");
    }

    private static Predicate<AuditRecord> matches(AuditQuery query) {
        String value = query.value();
        if (query.attribute() == null) {
            return r -> true;
        }
        return switch (query.attribute()) {
            case EVENT_ID -> r -> r.eventId().equals(value);
            case EVENT_NAME -> r -> r.eventName().equals(value);
            case READ_ONLY -> r -> Boolean.toString(r.readOnly()).equalsIgnoreCase(value);
            case USERNAME -> r -> r.username().equals(value);
            case EVENT_SOURCE -> r -> r.eventSource().equals(value);
            case ACCESS_KEY_ID -> r -> value.equals(r.accessKeyId());
            case RESOURCE_NAME -> r -> r.resources().stream().anyMatch(x -> x.name().equals(value));
            case RESOURCE_TYPE -> r -> r.resources().stream().anyMatch(x -> x.type().equals(value));
        };
    }

    @Override
    public synchronized int deleteOlderThan(long cutoff, int maxEvents) {
        List<AuditRecord> old = records.stream().filter(r -> r.eventTime() < cutoff).limit(maxEvents).toList();
        records.removeAll(old);
        return old.size();
    }

    @Override
    public void close() {
    }
}
