package io.berth.control.logs;

import io.berth.control.Caller;
import io.berth.control.JsonOperations;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteLogStreamResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;

/** CreateLogStream, DeleteLogStream and DescribeLogStreams. */
final class StreamOperations {

    private static final int MAX_DESCRIBE = 50;

    private final LogStore store;
    private final LogsAccess access;
    private final Clock clock;

    StreamOperations(LogStore store, LogsAccess access, Clock clock) {
        this.store = store;
        this.access = access;
        this.clock = clock;
    }

    void addTo(JsonOperations operations) {
        operations.add("CreateLogStream", CreateLogStreamRequest.class, this::createLogStream);
        operations.add("DeleteLogStream", DeleteLogStreamRequest.class, this::deleteLogStream);
        operations.add("DescribeLogStreams", DescribeLogStreamsRequest.class, this::describeLogStreams);
    }

    CreateLogStreamResponse createLogStream(Caller caller, CreateLogStreamRequest request) {
        String group = LogsErrors.groupName("logGroupName", request.logGroupName());
        String stream = LogsErrors.streamName("logStreamName", request.logStreamName());
        access.onStream(caller, "CreateLogStream", group, stream);
        if (!store.createStream(Groups.find(store, caller, group).id(), stream, clock.millis())) {
            throw LogsErrors.streamExists();
        }
        return CreateLogStreamResponse.builder().build();
    }

    DeleteLogStreamResponse deleteLogStream(Caller caller, DeleteLogStreamRequest request) {
        String group = LogsErrors.groupName("logGroupName", request.logGroupName());
        String stream = LogsErrors.streamName("logStreamName", request.logStreamName());
        access.onStream(caller, "DeleteLogStream", group, stream);
        if (!store.deleteStream(Groups.find(store, caller, group).id(), stream)) {
            throw LogsErrors.streamNotFound();
        }
        return DeleteLogStreamResponse.builder().build();
    }

    DescribeLogStreamsResponse describeLogStreams(Caller caller, DescribeLogStreamsRequest request) {
        String group = Groups.name(caller, request.logGroupName(), request.logGroupIdentifier());
        String prefix = request.logStreamNamePrefix() == null ? ""
                : LogsErrors.streamName("logStreamNamePrefix", request.logStreamNamePrefix());
        OrderBy orderBy = request.orderBy() == null ? OrderBy.LOG_STREAM_NAME : request.orderBy();
        if (orderBy == OrderBy.UNKNOWN_TO_SDK_VERSION) {
            throw LogsErrors.constraint("orderBy", request.orderByAsString(),
                    "Member must satisfy enum value set: " + OrderBy.knownValues());
        }
        if (orderBy == OrderBy.LAST_EVENT_TIME && !prefix.isEmpty()) {
            throw LogsErrors.invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        int limit = LogsErrors.limit("limit", request.limit(), MAX_DESCRIBE, MAX_DESCRIBE);
        boolean descending = Boolean.TRUE.equals(request.descending());
        StreamPage page = page(orderBy == OrderBy.LAST_EVENT_TIME ? StreamPage.Order.LAST_EVENT_TIME
                : StreamPage.Order.NAME, descending, prefix, request.nextToken(), limit + 1);
        access.onGroup(caller, "DescribeLogStreams", group);
        StoredGroup stored = Groups.find(store, caller, group);
        List<StoredStream> streams = store.streams(stored.id(), page);
        boolean more = streams.size() > limit;
        List<StoredStream> shown = more ? streams.subList(0, limit) : streams;
        String nextToken = null;
        if (more) {
            StoredStream last = shown.get(shown.size() - 1);
            nextToken = LogTokens.encode(last.lastEventTimestamp() + ":" + last.name());
        }
        return DescribeLogStreamsResponse.builder()
                .logStreams(shown.stream().map(s -> logStream(caller, group, s)).toList())
                .nextToken(nextToken).build();
    }

    private static StreamPage page(StreamPage.Order order, boolean descending, String prefix, String token,
            int limit) {
        if (token == null) {
            return new StreamPage(order, descending, prefix, 0, null, limit);
        }
        String text = LogTokens.decode(token);
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw LogsErrors.invalidToken();
        }
        try {
            return new StreamPage(order, descending, prefix, Long.parseLong(text.substring(0, colon)),
                    text.substring(colon + 1), limit);
        } catch (NumberFormatException e) {
            throw LogsErrors.invalidToken();
        }
    }

    static LogStream logStream(Caller caller, String group, StoredStream stream) {
        LogStream.Builder builder = LogStream.builder()
                .logStreamName(stream.name())
                .creationTime(stream.creationTime())
                .arn(LogsAccess.streamArn(caller.scope(), group, stream.name()))
                .storedBytes(0L);
        if (stream.hasEvents()) {
            builder.firstEventTimestamp(stream.firstEventTimestamp())
                    .lastEventTimestamp(stream.lastEventTimestamp())
                    .lastIngestionTime(stream.lastIngestionTime())
                    .uploadSequenceToken(EventOperations.sequenceToken(stream.uploadSequence()));
        }
        return builder.build();
    }
}
