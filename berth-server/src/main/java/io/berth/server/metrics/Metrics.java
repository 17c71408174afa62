package io.berth.server.metrics;

import io.berth.control.state.CommitObserver;
import io.berth.control.state.State;
import io.berth.server.acs.AcsSessions;
import io.berth.server.http.ApiCall;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A node's meters, for its whole life: the edge and the JVM are measured whether the node leads or follows, and the
 * meters of the state (tasks, agent sessions, store commits, placements) follow whichever term the node leads.
 */
public final class Metrics implements AutoCloseable {

    private static final Duration[] COMMIT_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofSeconds(1)};
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    /** What the node leads now, which the state's meters read. */
    private record Term(State state, AcsSessions sessions) {
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final RequestMeter requests = new RequestMeter(registry);
    private final Placements placements = new Placements(registry);
    private final Timer commitTime;
    private final DistributionSummary commitWrites;
    private final MultiGauge tasksByStatus;
    private final AtomicReference<Term> term = new AtomicReference<>();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        commitTime = Timer.builder("berth.store.commit")
                .description("How long the store took to make a batch of writes durable")
                .serviceLevelObjectives(COMMIT_BUCKETS)
                .register(registry);
        commitWrites = DistributionSummary.builder("berth.store.commit.writes")
                .description("How many writes shared one store commit")
                .serviceLevelObjectives(BATCH_BUCKETS)
                .register(registry);
        tasksByStatus = MultiGauge.builder("berth.tasks")
                .description("Tasks of every account and region by last status, on the leader")
                .register(registry);
        Gauge.builder("berth.agent.sessions", term, Metrics::sessions)
                .description("Agents' ACS sessions held by this node")
                .register(registry);
    }

    /** Times every answered API call. */
    public ApiCall.Listener listener() {
        return requests;
    }

    /** Times every store commit of the state it is given to, and counts its writes. */
    public CommitObserver commits() {
        return (writes, nanos) -> {
            commitTime.record(nanos, TimeUnit.NANOSECONDS);
            commitWrites.record(writes);
        };
    }

    /**
     * Measures what a term leads: its tasks, its agents' sessions and the tasks it places, until the returned handle
     * is closed with the term.
     */
    public AutoCloseable lead(State state, AcsSessions sessions) {
        Term leading = new Term(state, sessions);
        term.set(leading);
        state.onCommit(placements);
        return () -> term.compareAndSet(leading, null);
    }

    /** Every meter in the Prometheus text format (version 0.0.4), the tasks counted afresh. */
    public synchronized String scrape() {
        Term leading = term.get();
        tasksByStatus.register(leading == null ? List.of() : TaskCounts.rows(leading.state()), true);
        return registry.scrape();
    }

    private static double sessions(AtomicReference<Term> term) {
        Term leading = term.get();
        return leading == null ? 0 : leading.sessions().size();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
