package io.berth.control.logs;

import io.berth.control.Caller;
import io.berth.control.JsonOperations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * FilterLogEvents: the events of a group (or of some of its streams) in a time range that match a
 * filter pattern, in time order, as many as fit in 1 MB up to the limit. The store is read a chunk
 * at a time, skipping what cannot match; a call that has read its share of events without filling
 * its page answers what it found with a token to go on, as AWS does.
 */
final class FilterOperations {

    private static final int MAX_EVENTS = 10_000;
    private static final int MAX_STREAM_NAMES = 100;
    private static final int CHUNK = 1_000;
    /** The most events one call reads from the store after those its pattern's texts let it skip. */
    private static final int MAX_READ_PER_CALL = 1_000_000;

    private final LogStore store;
    private final LogsAccess access;

    FilterOperations(LogStore store, LogsAccess access) {
        this.store = store;
        this.access = access;
    }

    void addTo(JsonOperations operations) {
        operations.add("FilterLogEvents", FilterLogEventsRequest.class, this::filterLogEvents);
    }

    FilterLogEventsResponse filterLogEvents(Caller caller, FilterLogEventsRequest request) {
        String group = Groups.name(caller, request.logGroupName(), request.logGroupIdentifier());
        List<String> names = request.hasLogStreamNames() ? request.logStreamNames() : null;
        String prefix = request.logStreamNamePrefix();
        if (names != null && prefix != null) {
            throw LogsErrors.invalidParameter(
                    "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        }
        if (names != null) {
            LogsErrors.size("logStreamNames", names, 1, MAX_STREAM_NAMES);
            names.forEach(name -> LogsErrors.streamName("logStreamNames", name));
        }
        if (prefix != null) {
            LogsErrors.streamName("logStreamNamePrefix", prefix);
        }
        long startTime = request.startTime() == null ? 0 : LogsErrors.time("startTime", request.startTime());
        Long end = LogsErrors.time("endTime", request.endTime());
        // endTime is inclusive here, unlike GetLogEvents'.
        long endTime = end == null || end == Long.MAX_VALUE ? Long.MAX_VALUE : end + 1;
        int limit = LogsErrors.limit("limit", request.limit(), MAX_EVENTS, MAX_EVENTS);
        String pattern = LogsErrors.length("filterPattern", request.filterPattern(), 0, FilterPattern.MAX_LENGTH);
        FilterPattern filter = FilterPattern.parse(pattern);
        EventPosition after = request.nextToken() == null ? EventPosition.before(startTime)
                : LogTokens.position(request.nextToken());
        access.onGroup(caller, "FilterLogEvents", group);
        StoredGroup stored = Groups.find(store, caller, group);

        Map<Long, String> streams = store.streamNames(stored.id(), prefix == null ? "" : prefix);
        Set<Long> wanted = null;
        if (names != null) {
            Set<String> asked = new HashSet<>(names);
            wanted = new LinkedHashSet<>();
            for (Map.Entry<Long, String> stream : streams.entrySet()) {
                if (asked.contains(stream.getValue())) {
                    wanted.add(stream.getKey());
                }
            }
        } else if (prefix != null) {
            wanted = streams.keySet();
        }

        List<FilteredLogEvent> found = new ArrayList<>();
        long bytes = 0;
        int read = 0;
        String nextToken = null;
        while (true) {
            List<StoredEvent> chunk = store.scan(stored.id(), wanted, startTime, endTime, after,
                    filter.requiredTexts(), CHUNK);
            for (StoredEvent event : chunk) {
                after = event.position();
                String stream = streams.get(event.streamId());
                if (stream == null || !filter.matches(event.message())) {
                    continue;
                }
                found.add(FilteredLogEvent.builder().logStreamName(stream).timestamp(event.timestamp())
                        .message(event.message()).ingestionTime(event.ingestionTime())
                        .eventId(String.format("%056d", event.id())).build());
                bytes += EventOperations.utf8Length(event.message()) + EventOperations.EVENT_OVERHEAD_BYTES;
                if (found.size() == limit || bytes >= EventOperations.MAX_RESPONSE_BYTES) {
                    break;
                }
            }
            read += chunk.size();
            boolean full = found.size() == limit || bytes >= EventOperations.MAX_RESPONSE_BYTES;
            if (chunk.size() < CHUNK && !full) {
                break;
            }
            if (full || read >= MAX_READ_PER_CALL) {
                nextToken = LogTokens.position(after);
                break;
            }
        }
        return FilterLogEventsResponse.builder().events(found).nextToken(nextToken).build();
    }
}
