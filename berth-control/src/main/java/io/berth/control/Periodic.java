package io.berth.control;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chore the control plane does now and then on a thread of its own (retention sweeps, purges), until closed. A
 * run that fails is logged and the next one comes as planned. Closing interrupts a run under way: a chore that works
 * in chunks asks {@link #stopping()} between them.
 */
public final class Periodic implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Periodic.class);

    private final ScheduledExecutorService timer;

    private Periodic(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Runs {@code chore} after {@code delay}, then again {@code period} after each run ends. */
    public static Periodic start(String name, Duration delay, Duration period, Runnable chore) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(name).daemon().factory());
        timer.scheduleWithFixedDelay(() -> {
            try {
                chore.run();
            } catch (RuntimeException e) {
                log.warn("{} failed; it runs again in {}", name, period, e);
            }
        }, delay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return new Periodic(timer);
    }

    /** True when the chore running on this thread is asked to stop. */
    public static boolean stopping() {
        return Thread.currentThread().isInterrupted();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
