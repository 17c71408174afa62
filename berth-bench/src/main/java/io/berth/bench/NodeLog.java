package io.berth.bench;

import java.time.Duration;
import java.time.LocalTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a node's log says about its last takeover: when (by the log's clock, the machine's local time) it took the
 * leader lease, and how long it then took to load the state and lead. The lines read are
 * {@code HH:mm:ss.SSS INFO ... - This node (ID) took the leader lease, epoch N; loading the state} and
 * {@code ... - This node leads (epoch N); took over in M ms}.
 */
final class NodeLog {

    /** One takeover: the lease taken at a time of day, in an epoch; the load's milliseconds, -1 while loading. */
    record Takeover(LocalTime leaseTakenAt, long epoch, long loadMillis) {
    }

    private static final Pattern TOOK_LEASE = Pattern.compile(
            "(?m)^(\\d{2}:\\d{2}:\\d{2}\\.\\d{3}) .*took the leader lease, epoch (\\d+)");
    private static final Pattern LEADS = Pattern.compile("(?m)This node leads \\(epoch (\\d+)\\); took over in (\\d+) ms");

    private NodeLog() {
    }

    /** The last time the node took the lease, with the load that followed if it is logged; empty if it never did. */
    static Optional<Takeover> lastTakeover(String log) {
        Matcher took = TOOK_LEASE.matcher(log);
        LocalTime at = null;
        long epoch = -1;
        while (took.find()) {
            at = LocalTime.parse(took.group(1));
            epoch = Long.parseLong(took.group(2));
        }
        if (at == null) {
            return Optional.empty();
        }
        long loadMillis = -1;
        Matcher leads = LEADS.matcher(log);
        while (leads.find()) {
            if (Long.parseLong(leads.group(1)) == epoch) {
                loadMillis = Long.parseLong(leads.group(2));
            }
        }
        return Optional.of(new Takeover(at, epoch, loadMillis));
    }

    /** Seconds from one time of day to a later one, less than a day apart (so across midnight too). */
    static double secondsBetween(LocalTime from, LocalTime to) {
        long nanos = Duration.between(from, to).toNanos();
        if (nanos < 0) {
            nanos += Duration.ofDays(1).toNanos();
        }
        return nanos / 1e9;
    }
}
