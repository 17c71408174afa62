package io.berth.agent.logs;

import io.berth.agent.docker.LogFrames;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships one container's log to one CloudWatch Logs stream. A reader follows the Docker log from the recorded
 * position (following again from where it got whenever the stream breaks while the container runs), groups lines
 * into events and hands them to a sender through a bounded buffer; the sender batches them, sends each batch until
 * it is taken, and then records the new position. Once the container has stopped and its last line is shipped, the
 * position is recorded as finished and {@link #finished()} completes.
 */
public final class ContainerLogShipper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerLogShipper.class);

    private final String containerId;
    private final AwslogsOptions options;
    private final String stream;
    private final LogSource source;
    private final ShippedPositions positions;
    private final LogsSender sender;
    private final LogsSender.Backoff backoff;
    private final Runnable onStop;
    private final LogPosition start;
    private final EventBuffer buffer;
    private final EventGrouper grouper;
    private final ReentrantLock grouping = new ReentrantLock();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    // the reader's state, touched by the reader loop and the Docker callback it waits on
    private volatile SinceCounter readCounter;
    private volatile ShipProgress progress;
    private volatile long seq;
    private volatile long toSkip;
    private volatile boolean skippedWereShipped;

    private volatile boolean readerDone;
    private volatile boolean closed;
    private volatile Closeable following;
    private Thread readerThread;
    private Thread senderThread;

    ContainerLogShipper(String containerId, AwslogsOptions options, String stream, LogSource source,
            ShippedPositions positions, LogsSender sender, LogsSender.Backoff backoff, Runnable onStop) {
        this.containerId = containerId;
        this.options = options;
        this.stream = stream;
        this.source = source;
        this.positions = positions;
        this.sender = sender;
        this.backoff = backoff;
        this.onStop = onStop;
        this.start = positions.get(containerId).orElse(LogPosition.START);
        this.buffer = new EventBuffer(options.maxBufferBytes());
        this.grouper = new EventGrouper(options.eventStart());
    }

    /** Starts the reader and the sender; a container whose log was shipped to its end is finished at once. */
    ContainerLogShipper start() {
        if (start.finished()) {
            onStop.run();
            finished.complete(null);
            return this;
        }
        readerThread = Thread.ofVirtual().name("awslogs-read-" + shortId()).start(this::readLoop);
        senderThread = Thread.ofVirtual().name("awslogs-send-" + shortId()).start(this::sendLoop);
        return this;
    }

    /** Completes once the container has stopped and its last line is shipped. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    /** Events dropped because the buffer was full, with {@code mode=non-blocking}. */
    public long droppedEvents() {
        return buffer.dropped();
    }

    public String logGroup() {
        return options.group();
    }

    public String logStream() {
        return stream;
    }

    /**
     * Stops at once, shipping nothing more and recording nothing more: as after a crash, a later shipper for the
     * same container resumes from the last recorded position.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeFollowing();
        buffer.close();
        if (readerThread != null) {
            readerThread.interrupt();
        }
        if (senderThread != null) {
            senderThread.interrupt();
        }
        finished.cancel(false);
        onStop.run();
    }

    // ---- reading

    private void readLoop() {
        Duration wait = backoff.first();
        boolean fromRecord = true;
        try {
            while (!closed) {
                LogPosition at;
                if (fromRecord) {
                    readCounter = new SinceCounter(start);
                    progress = new ShipProgress(start);
                    at = start;
                } else {
                    at = readCounter.position();
                }
                toSkip = at.skip();
                skippedWereShipped = fromRecord;
                long seqBefore = seq;
                Throwable error = followOnce(at.since());
                if (closed) {
                    return;
                }
                LogSource.Writer writer = writer();
                if (writer == LogSource.Writer.GONE || writer == LogSource.Writer.EXITED && error == null) {
                    endOfLog();
                    return;
                }
                if (error != null) {
                    LOG.warn("Reading the log of container {} failed ({}); reading on from where it stopped",
                            shortId(), error.getMessage());
                }
                // until a new line is read, the record's lines may not all have been seen again
                fromRecord = seq == 0;
                wait = seq > seqBefore ? backoff.first() : wait;
                Thread.sleep(wait.toMillis());
                wait = backoff.after(wait);
            }
        } catch (InterruptedException e) {
            // closed
        } catch (RuntimeException e) {
            LOG.error("Shipping the log of container {} stopped: {}", shortId(), e.getMessage(), e);
        }
    }

    /** Whether the container may still write; when Docker cannot say, it may, and the log is followed again. */
    private LogSource.Writer writer() {
        try {
            return source.writer(containerId);
        } catch (RuntimeException e) {
            LOG.warn("Cannot inspect container {}: {}", shortId(), e.getMessage());
            return LogSource.Writer.MAY_WRITE;
        }
    }

    /** Follows the log once, to its end or a failure (returned). */
    private Throwable followOnce(long since) throws InterruptedException {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        DockerLogDecoder decoder = new DockerLogDecoder(this::message);
        try {
            following = source.follow(containerId, since, new LogFrames() {
                @Override
                public void frame(byte[] payload, boolean raw) {
                    if (!closed) {
                        decoder.frame(payload, raw);
                    }
                }

                @Override
                public void end(Throwable error) {
                    if (error == null && !closed) {
                        decoder.end();
                    }
                    ended.complete(error);
                }
            });
        } catch (RuntimeException e) {
            return e;
        }
        try {
            return ended.get();
        } catch (ExecutionException e) {
            return e.getCause();
        } finally {
            closeFollowing();
        }
    }

    private void message(Instant time, String text) {
        long second = time.getEpochSecond();
        if (toSkip > 0) {
            toSkip--;
            if (skippedWereShipped) {
                readCounter.consumed(second, 1);
                progress.alreadyShipped(second);
            }
            return;
        }
        seq++;
        readCounter.consumed(second, 1);
        progress.read(seq, second);
        LogLine line = new LogLine(seq, time, text);
        grouping.lock();
        try {
            deliver(grouper.accept(line, System.nanoTime()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            grouping.unlock();
        }
    }

    private void endOfLog() throws InterruptedException {
        grouping.lock();
        try {
            deliver(grouper.finish());
        } finally {
            grouping.unlock();
        }
        readerDone = true;
    }

    /** Hands events to the sender; called holding the grouping lock, so events enter the buffer in log order. */
    private void deliver(List<LogEvent> events) throws InterruptedException {
        for (LogEvent event : events) {
            if (options.mode() == AwslogsOptions.Mode.NON_BLOCKING) {
                buffer.offer(event);
            } else {
                buffer.put(event);
            }
        }
    }

    // ---- sending

    private void sendLoop() {
        Batch batch = new Batch();
        long deadline = 0;
        try {
            sender.prepare();
            while (!closed) {
                boolean done = readerDone;
                LogEvent event = buffer.poll(batch.isEmpty() ? options.flushInterval()
                        : Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                List<LogEvent> incoming = event != null ? List.of(event) : idleEvents();
                for (LogEvent next : incoming) {
                    if (!batch.fits(next)) {
                        ship(batch);
                    }
                    if (batch.isEmpty()) {
                        deadline = System.nanoTime() + options.flushInterval().toNanos();
                    }
                    batch.add(next);
                    if (batch.full()) {
                        ship(batch);
                    }
                }
                if (!batch.isEmpty() && System.nanoTime() >= deadline) {
                    ship(batch);
                }
                if (done && incoming.isEmpty() && buffer.isEmpty()) {
                    ship(batch);
                    finish();
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed
        } catch (RuntimeException e) {
            LOG.error("Shipping the log of container {} stopped: {}", shortId(), e.getMessage(), e);
        }
    }

    /** The multiline event being gathered, once idle, when nothing read before it waits to be sent. */
    private List<LogEvent> idleEvents() {
        if (!grouping.tryLock()) {
            return List.of();
        }
        try {
            return buffer.isEmpty() ? grouper.takeIdle(System.nanoTime(), options.flushInterval()) : List.of();
        } finally {
            grouping.unlock();
        }
    }

    private void ship(Batch batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        sender.put(batch.inTimeOrder());
        progress.shippedThrough(batch.shippedThrough());
        batch.clear();
        record(progress.position());
    }

    private void finish() {
        if (record(progress.position().asFinished())) {
            LOG.info("The log of container {} is shipped to its end ({}/{})", shortId(), options.group(), stream);
            onStop.run();
            finished.complete(null);
        }
    }

    /** Saves the position unless closed, when a later shipper may already be recording its own. */
    private synchronized boolean record(LogPosition position) {
        if (closed) {
            return false;
        }
        positions.save(containerId, position);
        return true;
    }

    private void closeFollowing() {
        Closeable current = following;
        following = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Closing the log of container {}: {}", shortId(), e.getMessage());
            }
        }
    }

    private String shortId() {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }
}
