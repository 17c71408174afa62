package io.berth.agent.logs;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DataAlreadyAcceptedException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * The CloudWatch Logs calls of one log stream: creating its group (with {@code awslogs-create-group}) and the stream,
 * and PutLogEvents. Every failure but a refusal of the batch itself is retried with exponential back-off until the
 * call succeeds or the thread is interrupted: an outage, throttling, a role not yet allowed or credentials not yet
 * refreshed all pass, and the lines wait in Docker's log meanwhile.
 */
final class LogsSender {

    /** What became of a batch. */
    enum Outcome {
        /** The service took it (events it found too old or too new are logged). */
        SHIPPED,
        /** The service refused the batch itself; it is dropped, as Docker's driver drops it. */
        REFUSED
    }

    /** Waits between attempts: {@code first}, doubling up to {@code longest}. */
    record Backoff(Duration first, Duration longest) {
        static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

        Duration after(Duration previous) {
            Duration doubled = previous.multipliedBy(2);
            return doubled.compareTo(longest) > 0 ? longest : doubled;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LogsSender.class);

    private final CloudWatchLogsClient client;
    private final String group;
    private final String stream;
    private final boolean createGroup;
    private final boolean createStream;
    private final Backoff backoff;

    LogsSender(CloudWatchLogsClient client, String group, String stream, boolean createGroup, boolean createStream,
            Backoff backoff) {
        this.client = client;
        this.group = group;
        this.stream = stream;
        this.createGroup = createGroup;
        this.createStream = createStream;
        this.backoff = backoff;
    }

    /** Creates the group (when asked to) and the stream, either of them being there already being fine. */
    void prepare() throws InterruptedException {
        retrying("create log stream " + stream, () -> {
            createDestination();
            return null;
        });
    }

    /** Sends the events (in time order), retrying until the service answers for the batch. */
    Outcome put(List<LogEvent> events) throws InterruptedException {
        List<InputLogEvent> input = events.stream()
                .map(e -> InputLogEvent.builder().timestamp(e.timestamp()).message(e.message()).build()).toList();
        return retrying("put " + events.size() + " log events into " + group + "/" + stream, () -> {
            try {
                PutLogEventsResponse answer = putOnce(input);
                report(answer.rejectedLogEventsInfo(), events.size());
                return Outcome.SHIPPED;
            } catch (DataAlreadyAcceptedException e) {
                return Outcome.SHIPPED;
            } catch (InvalidParameterException e) {
                LOG.error("CloudWatch Logs refused {} events for {}/{}, dropping them: {}", events.size(), group,
                        stream, e.awsErrorDetails().errorMessage());
                return Outcome.REFUSED;
            }
        });
    }

    private PutLogEventsResponse putOnce(List<InputLogEvent> input) {
        try {
            return client.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(input));
        } catch (ResourceNotFoundException e) {
            // the stream (or its group) was deleted, or never made: make it and try again at once
            createDestination();
            return client.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(input));
        }
    }

    private void createDestination() {
        if (createGroup) {
            try {
                client.createLogGroup(r -> r.logGroupName(group));
            } catch (ResourceAlreadyExistsException e) {
                // as wanted
            }
        }
        if (createStream) {
            try {
                client.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
            } catch (ResourceAlreadyExistsException e) {
                // as wanted
            }
        }
    }

    private void report(RejectedLogEventsInfo rejected, int count) {
        if (rejected == null) {
            return;
        }
        if (rejected.tooOldLogEventEndIndex() != null || rejected.expiredLogEventEndIndex() != null) {
            LOG.warn("CloudWatch Logs rejected events of {}/{} as too old (of {}: up to index {}, expired up to {})",
                    group, stream, count, rejected.tooOldLogEventEndIndex(), rejected.expiredLogEventEndIndex());
        }
        if (rejected.tooNewLogEventStartIndex() != null) {
            LOG.warn("CloudWatch Logs rejected events of {}/{} as too new (of {}: from index {})", group, stream,
                    count, rejected.tooNewLogEventStartIndex());
        }
    }

    private interface Call<T> {
        T run();
    }

    private <T> T retrying(String what, Call<T> call) throws InterruptedException {
        Duration wait = backoff.first();
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("stopped before " + what);
            }
            try {
                return call.run();
            } catch (SdkException e) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("stopped during " + what);
                }
                LOG.warn("Cannot {} ({}); trying again in {} ms", what, e.getMessage(), wait.toMillis());
                Thread.sleep(wait.toMillis());
                wait = backoff.after(wait);
            }
        }
    }
}
