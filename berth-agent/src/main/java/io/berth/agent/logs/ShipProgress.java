package io.berth.agent.logs;

import java.util.ArrayDeque;

/**
 * The lines read from Docker but not yet vouched for by an acknowledged batch, and the position they leave shipped.
 * Lines of the same second are kept as one run, so a long outage costs a few bytes per second of log. Thread-safe.
 */
final class ShipProgress {

    /** Lines {@code first..last}, all of epoch second {@code second}. */
    private static final class Run {
        final long second;
        long first;
        long last;

        Run(long second, long first, long last) {
            this.second = second;
            this.first = first;
            this.last = last;
        }
    }

    private final SinceCounter shipped;
    private final ArrayDeque<Run> unshipped = new ArrayDeque<>();

    ShipProgress(LogPosition start) {
        this.shipped = new SinceCounter(start);
    }

    /** A line shipped by an earlier run, read again to find the place to resume. */
    synchronized void alreadyShipped(long second) {
        shipped.consumed(second, 1);
    }

    /** Line {@code seq} (one more than the last) was read. */
    synchronized void read(long seq, long second) {
        Run last = unshipped.peekLast();
        if (last != null && last.second == second && last.last == seq - 1) {
            last.last = seq;
        } else {
            unshipped.addLast(new Run(second, seq, seq));
        }
    }

    /** Every line up to {@code seq} is shipped. */
    synchronized void shippedThrough(long seq) {
        while (!unshipped.isEmpty() && unshipped.peekFirst().first <= seq) {
            Run run = unshipped.peekFirst();
            long through = Math.min(seq, run.last);
            shipped.consumed(run.second, through - run.first + 1);
            if (through == run.last) {
                unshipped.removeFirst();
            } else {
                run.first = through + 1;
            }
        }
    }

    synchronized LogPosition position() {
        return shipped.position();
    }
}
