package io.berth.control.logs;

import io.berth.control.Caller;
import io.berth.control.JsonOperations;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;

/**
 * PutLogEvents and GetLogEvents, with AWS's limits: a batch holds at most 10,000 events and
 * 1,048,576 bytes (each event's UTF-8 message plus 26), in chronological order, spanning at most
 * 24 hours; events older than 14 days or than the group's retention, or more than 2 hours ahead, are
 * left out and reported in {@code rejectedLogEventsInfo}. Sequence tokens are accepted and ignored.
 */
final class EventOperations {

    static final int MAX_BATCH_EVENTS = 10_000;
    static final int MAX_BATCH_BYTES = 1_048_576;
    static final int EVENT_OVERHEAD_BYTES = 26;
    /** The most a GetLogEvents or FilterLogEvents answer holds, counted as a batch is. */
    static final int MAX_RESPONSE_BYTES = 1_048_576;
    static final int MAX_GET_EVENTS = 10_000;
    private static final long MAX_SPAN_MILLIS = Duration.ofHours(24).toMillis();
    private static final long MAX_AGE_MILLIS = Duration.ofDays(14).toMillis();
    private static final long MAX_AHEAD_MILLIS = Duration.ofHours(2).toMillis();

    private final LogStore store;
    private final LogsAccess access;
    private final Clock clock;

    EventOperations(LogStore store, LogsAccess access, Clock clock) {
        this.store = store;
        this.access = access;
        this.clock = clock;
    }

    void addTo(JsonOperations operations) {
        operations.add("PutLogEvents", PutLogEventsRequest.class, this::putLogEvents);
        operations.add("GetLogEvents", GetLogEventsRequest.class, this::getLogEvents);
    }

    PutLogEventsResponse putLogEvents(Caller caller, PutLogEventsRequest request) {
        String group = LogsErrors.groupName("logGroupName", request.logGroupName());
        String stream = LogsErrors.streamName("logStreamName", request.logStreamName());
        List<InputLogEvent> input = request.hasLogEvents() ? request.logEvents() : List.of();
        List<StoredEvent.New> events = checkBatch(input);
        access.onStream(caller, "PutLogEvents", group, stream);
        StoredGroup stored = Groups.find(store, caller, group);
        StoredStream target = store.stream(stored.id(), stream).orElseThrow(LogsErrors::streamNotFound);

        long now = clock.millis();
        int tooOldEnd = lastBefore(events, now - MAX_AGE_MILLIS);
        int expiredEnd = stored.retentionInDays() == null ? -1
                : lastBefore(events, now - Duration.ofDays(stored.retentionInDays()).toMillis());
        int tooNewStart = firstAfter(events, now + MAX_AHEAD_MILLIS);
        int from = Math.max(tooOldEnd, expiredEnd) + 1;
        long sequence = target.uploadSequence();
        if (from < tooNewStart) {
            OptionalLong appended = store.append(stored.id(), target.id(), events.subList(from, tooNewStart), now);
            sequence = appended.orElseThrow(LogsErrors::streamNotFound);
        }
        PutLogEventsResponse.Builder response = PutLogEventsResponse.builder().nextSequenceToken(sequenceToken(sequence));
        if (tooOldEnd >= 0 || expiredEnd >= 0 || tooNewStart < events.size()) {
            response.rejectedLogEventsInfo(RejectedLogEventsInfo.builder()
                    .tooOldLogEventEndIndex(tooOldEnd >= 0 ? tooOldEnd : null)
                    .expiredLogEventEndIndex(expiredEnd >= 0 ? expiredEnd : null)
                    .tooNewLogEventStartIndex(tooNewStart < events.size() ? tooNewStart : null)
                    .build());
        }
        return response.build();
    }

    /** The batch as events to store, once it is within AWS's limits. */
    private static List<StoredEvent.New> checkBatch(List<InputLogEvent> input) {
        LogsErrors.size("logEvents", input, 1, MAX_BATCH_EVENTS);
        List<StoredEvent.New> events = new ArrayList<>(input.size());
        long bytes = 0;
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < input.size(); i++) {
            InputLogEvent event = input.get(i);
            Long timestamp = event.timestamp();
            String message = event.message();
            if (timestamp == null || timestamp < 0 || message == null || message.isEmpty()) {
                // Named only here: a batch holds thousands of events, nearly always valid.
                String member = "logEvents." + (i + 1) + ".member.";
                LogsErrors.time(member + "timestamp", LogsErrors.required(member + "timestamp", timestamp));
                LogsErrors.length(member + "message", LogsErrors.required(member + "message", message), 1,
                        Integer.MAX_VALUE);
            }
            if (timestamp < previous) {
                throw LogsErrors.invalidParameter(
                        "Log events in a single PutLogEvents request must be in chronological order.");
            }
            previous = timestamp;
            bytes += utf8Length(message) + EVENT_OVERHEAD_BYTES;
            events.add(new StoredEvent.New(timestamp, message));
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw LogsErrors.invalidParameter("Upload too large: " + bytes + " bytes exceeds limit of "
                    + MAX_BATCH_BYTES);
        }
        if (events.get(events.size() - 1).timestamp() - events.get(0).timestamp() > MAX_SPAN_MILLIS) {
            throw LogsErrors.invalidParameter(
                    "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }
        return events;
    }

    /** The index of the last event older than the time, or -1. */
    private static int lastBefore(List<StoredEvent.New> events, long time) {
        int last = -1;
        while (last + 1 < events.size() && events.get(last + 1).timestamp() < time) {
            last++;
        }
        return last;
    }

    /** The index of the first event later than the time, or the number of events. */
    private static int firstAfter(List<StoredEvent.New> events, long time) {
        int first = events.size();
        while (first > 0 && events.get(first - 1).timestamp() > time) {
            first--;
        }
        return first;
    }

    GetLogEventsResponse getLogEvents(Caller caller, GetLogEventsRequest request) {
        String group = Groups.name(caller, request.logGroupName(), request.logGroupIdentifier());
        String stream = LogsErrors.streamName("logStreamName", request.logStreamName());
        long startTime = orElse(LogsErrors.time("startTime", request.startTime()), 0);
        long endTime = orElse(LogsErrors.time("endTime", request.endTime()), Long.MAX_VALUE);
        int limit = LogsErrors.limit("limit", request.limit(), MAX_GET_EVENTS, MAX_GET_EVENTS);
        LogTokens.Cursor cursor;
        if (request.nextToken() != null) {
            cursor = LogTokens.Cursor.parse(request.nextToken());
        } else if (Boolean.TRUE.equals(request.startFromHead())) {
            cursor = new LogTokens.Cursor(true, EventPosition.before(startTime));
        } else {
            cursor = new LogTokens.Cursor(false, EventPosition.before(endTime));
        }
        access.onStream(caller, "GetLogEvents", group, stream);
        StoredGroup stored = Groups.find(store, caller, group);
        StoredStream target = store.stream(stored.id(), stream).orElseThrow(LogsErrors::streamNotFound);
        List<StoredEvent> events = fitting(store.read(target.id(), startTime, endTime, cursor.boundary(),
                cursor.forward(), limit), cursor.forward());

        String forwardToken;
        String backwardToken;
        String given = request.nextToken() != null ? request.nextToken() : cursor.token();
        EventPosition boundary = cursor.boundary();
        if (events.isEmpty()) {
            // At the end in the direction read: the same token again, as AWS answers it.
            forwardToken = cursor.forward() ? given
                    : new LogTokens.Cursor(true, new EventPosition(boundary.timestamp(), boundary.id() - 1)).token();
            backwardToken = cursor.forward()
                    ? new LogTokens.Cursor(false, new EventPosition(boundary.timestamp(), boundary.id() + 1)).token()
                    : given;
        } else {
            forwardToken = new LogTokens.Cursor(true, events.get(events.size() - 1).position()).token();
            backwardToken = new LogTokens.Cursor(false, events.get(0).position()).token();
        }
        return GetLogEventsResponse.builder()
                .events(events.stream().map(e -> OutputLogEvent.builder().timestamp(e.timestamp())
                        .message(e.message()).ingestionTime(e.ingestionTime()).build()).toList())
                .nextForwardToken(forwardToken)
                .nextBackwardToken(backwardToken)
                .build();
    }

    /** The events that fit in an answer: the first ones reading forward, the last ones reading backward. */
    private static List<StoredEvent> fitting(List<StoredEvent> events, boolean forward) {
        long bytes = 0;
        for (int n = 0; n < events.size(); n++) {
            StoredEvent event = events.get(forward ? n : events.size() - 1 - n);
            bytes += utf8Length(event.message()) + EVENT_OVERHEAD_BYTES;
            if (bytes > MAX_RESPONSE_BYTES) {
                return forward ? events.subList(0, n) : events.subList(events.size() - n, events.size());
            }
        }
        return events;
    }

    /** The upload sequence as Logs writes its tokens: 56 digits. */
    static String sequenceToken(long sequence) {
        return String.format("%056d", sequence);
    }

    static long utf8Length(String text) {
        // The JDK's encoder copies an ASCII string in one vectorised pass: faster than counting char by char.
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long orElse(Long value, long otherwise) {
        return value == null ? otherwise : value;
    }
}
