package io.berth.sim;

import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsTask;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** A task as one simulated agent holds it: what the backend wants, what the agent has reported, and its reports in order. */
final class SimulatedTask {

    enum Status { PENDING, RUNNING, STOPPED }

    final String arn;
    final String family;
    final List<AcsContainer> containers;
    private Status status = Status.PENDING;
    private String desiredStatus;
    private boolean runningAcknowledged;
    /** Reports of one task go out one at a time and in order, as the agent sends them. */
    private CompletableFuture<Void> reports = CompletableFuture.completedFuture(null);

    SimulatedTask(AcsTask task) {
        this.arn = task.arn();
        this.family = task.family();
        this.containers = task.containers() == null ? List.of() : task.containers();
        this.desiredStatus = task.desiredStatus();
    }

    synchronized Status status() {
        return status;
    }

    synchronized String desiredStatus() {
        return desiredStatus;
    }

    synchronized void desire(String desiredStatus) {
        this.desiredStatus = desiredStatus;
    }

    /** Moves to a later status; answers false when the task is already there or beyond. */
    synchronized boolean advance(Status next) {
        if (next.ordinal() <= status.ordinal()) {
            return false;
        }
        status = next;
        return true;
    }

    synchronized void runningAcknowledged() {
        runningAcknowledged = true;
    }

    synchronized boolean isRunningAcknowledged() {
        return runningAcknowledged;
    }

    synchronized void enqueue(Supplier<CompletableFuture<Void>> report) {
        reports = reports.handle((ok, failure) -> null).thenCompose(ignored -> report.get());
    }
}
