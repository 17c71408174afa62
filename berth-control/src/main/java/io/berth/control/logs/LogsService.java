package io.berth.control.logs;

import io.berth.control.JsonOperations;
import io.berth.control.iam.Authorizer;
import java.time.Clock;

/** The CloudWatch Logs API over a {@link LogStore}, each call decided by the authorizer. */
public final class LogsService {

    /** The {@code X-Amz-Target} prefix of Logs' operations. */
    public static final String TARGET_PREFIX = "Logs_20140328.";
    /** The service name Logs requests are signed for. */
    public static final String SIGNING_NAME = "logs";
    /**
     * The largest request body taken: a full PutLogEvents batch (1 MiB of messages) with its JSON
     * around it and its messages' escapes.
     */
    public static final int MAX_BODY_BYTES = 8 << 20;

    private final GroupOperations groups;
    private final StreamOperations streams;
    private final EventOperations events;
    private final FilterOperations filter;
    private final TagOperations tags;

    public LogsService(LogStore store, Authorizer authorizer, Clock clock) {
        LogsAccess access = new LogsAccess(authorizer, clock);
        this.groups = new GroupOperations(store, access, clock);
        this.streams = new StreamOperations(store, access, clock);
        this.events = new EventOperations(store, access, clock);
        this.filter = new FilterOperations(store, access);
        this.tags = new TagOperations(store, access);
    }

    public void addTo(JsonOperations operations) {
        groups.addTo(operations);
        streams.addTo(operations);
        events.addTo(operations);
        filter.addTo(operations);
        tags.addTo(operations);
    }
}
