package io.berth.bench;

import java.util.Arrays;

/** Latencies of one operation, kept whole so that percentiles are exact; safe to record from many threads. */
final class Latencies {

    private long[] nanos = new long[1024];
    private int count;
    private int errors;

    synchronized void record(long elapsedNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = elapsedNanos;
    }

    synchronized void error() {
        errors++;
    }

    synchronized Summary summary(String name, double seconds) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new Summary(name, count, errors, seconds <= 0 ? 0 : count / seconds,
                percentile(sorted, 50), percentile(sorted, 99));
    }

    private static double percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, rank)] / 1e6;
    }

    /** One operation's figures: successful calls, failed calls, calls per second, and p50/p99 in milliseconds. */
    record Summary(String operation, int calls, int errors, double perSecond, double p50Millis, double p99Millis) {

        String json() {
            return "{\"operation\":\"%s\",\"calls\":%d,\"errors\":%d,\"perSecond\":%.1f,\"p50Millis\":%.3f,\"p99Millis\":%.3f}"
                    .formatted(operation, calls, errors, perSecond, p50Millis, p99Millis);
        }

        String row() {
            return "%-24s %8d %7d %10.1f %10.2f %10.2f".formatted(operation, calls, errors, perSecond, p50Millis,
                    p99Millis);
        }

        static String header() {
            return "%-24s %8s %7s %10s %10s %10s".formatted("operation", "calls", "errors", "req/s", "p50 ms",
                    "p99 ms");
        }
    }
}
