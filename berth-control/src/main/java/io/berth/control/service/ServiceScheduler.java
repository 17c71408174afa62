package io.berth.control.service;

import io.berth.control.Scope;
import io.berth.control.cluster.Clusters;
import io.berth.control.instance.ContainerInstances;
import io.berth.control.state.Change;
import io.berth.control.state.State;
import io.berth.control.task.Tasks;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link ServiceReconciler} on one thread: every scope on a fixed period, and a scope
 * soon after a commit that may concern its services (a task, an instance, a service or a cluster
 * changed). Nudges for a scope already waiting coalesce into one step.
 */
public final class ServiceScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceScheduler.class);

    private final State state;
    private final ServiceReconciler reconciler;
    private final ScheduledExecutorService executor;
    private final Set<Scope> nudged = ConcurrentHashMap.newKeySet();

    public ServiceScheduler(State state, ServiceReconciler reconciler, Duration period) {
        this.state = state;
        this.reconciler = reconciler;
        this.executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("berth-service-scheduler").daemon(true).factory());
        state.onCommit(this::onCommit);
        executor.scheduleWithFixedDelay(this::everyScope, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onCommit(List<Change> changes) {
        for (Change change : changes) {
            if (change.is(Services.KIND) || (change.is(Tasks.KIND) || change.is(ContainerInstances.KIND)
                    || change.is(Clusters.KIND)) && hasServices(change.scope())) {
                nudge(change.scope());
                return;
            }
        }
    }

    /** Whether the scope has services at all: without any, its tasks and instances give a pass nothing to do. */
    private boolean hasServices(Scope scope) {
        return !state.region(scope).all(Services.KIND).isEmpty();
    }

    private void nudge(Scope scope) {
        if (nudged.add(scope)) {
            try {
                executor.execute(() -> {
                    nudged.remove(scope);
                    run(scope);
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                nudged.remove(scope);
            }
        }
    }

    private void everyScope() {
        try {
            reconciler.reconcileAll();
        } catch (RuntimeException e) {
            log.warn("A service scheduling pass failed", e);
        }
    }

    private void run(Scope scope) {
        try {
            reconciler.reconcile(scope);
        } catch (RuntimeException e) {
            log.warn("Scheduling the services of {} failed", scope.key(), e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
