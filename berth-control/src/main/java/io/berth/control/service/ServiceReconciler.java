package io.berth.control.service;

import io.berth.control.Scope;
import io.berth.control.cluster.Clusters;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import io.berth.control.task.TaskService;
import io.berth.control.task.TasksByGroup;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The service scheduler's one step: for each service, compare what runs with what is wanted and
 * start or stop tasks, within the deployment's bounds, in one write of the service's region.
 *
 * <p>A REPLICA service keeps {@code desiredCount} tasks of its primary deployment ({@link ReplicaScheduling}), a
 * DAEMON service one task on each ACTIVE instance ({@link DaemonScheduling}), an externally controlled one each
 * task set at its share ({@link TaskSetScheduling}). Every decision reads the tasks as the agents last reported
 * them, so a step may run any number of times: it changes nothing once the service is where it should be.
 */
public final class ServiceReconciler {

    private static final Logger log = LoggerFactory.getLogger(ServiceReconciler.class);

    private final State state;
    private final Clock clock;
    private final TaskService tasks;

    public ServiceReconciler(State state, Clock clock, TaskService tasks) {
        this.state = state;
        this.clock = clock;
        this.tasks = tasks;
    }

    /** One step for every service of every scope. */
    public void reconcileAll() {
        for (Scope scope : state.scopes()) {
            reconcile(scope);
        }
    }

    /** One step for every service of the scope that is not INACTIVE; one service's failure spares the others. */
    public void reconcile(Scope scope) {
        Region region = state.region(scope);
        List<String> keys = region.all(Services.KIND).stream()
                .filter(s -> !Services.INACTIVE.equals(s.status()))
                .map(s -> Services.key(Clusters.nameOf(scope, s.clusterArn()).orElse(""), s.serviceName()))
                .toList();
        for (String key : keys) {
            try {
                state.write(scope, tx -> {
                    step(tx, key);
                    return null;
                });
            } catch (RuntimeException e) {
                log.warn("Scheduling service {} in {} failed", key, scope.key(), e);
            }
        }
    }

    private void step(Transaction tx, String key) {
        Service service = tx.get(Services.KIND, key).orElse(null);
        if (service == null || Services.INACTIVE.equals(service.status())) {
            return;
        }
        String clusterName = key.substring(0, key.indexOf('/'));
        Cluster cluster = tx.get(Clusters.KIND, clusterName).filter(c -> Clusters.ACTIVE.equals(c.status())).orElse(null);
        if (cluster == null) {
            return;
        }
        ServiceStep step = new ServiceStep(tx, cluster, service, fleet(tx.region(), clusterName, service),
                clock.instant(), tasks);
        if (TaskSetService.EXTERNAL.equals(ServiceRules.controllerType(service.deploymentController()))) {
            new TaskSetScheduling(step).run();
            return;
        }
        if (Deployments.primaryOf(service).isEmpty()) {
            return;
        }
        if ("DAEMON".equals(service.schedulingStrategyAsString())) {
            new DaemonScheduling(step).run();
        } else {
            new ReplicaScheduling(step).run();
        }
        new DeploymentProgress(step).finish();
    }

    private static ServiceStep.Fleet fleet(Region region, String clusterName, Service service) {
        String group = Services.GROUP_PREFIX + service.serviceName();
        Set<String> deploymentIds = new HashSet<>();
        service.deployments().forEach(d -> deploymentIds.add(d.id()));
        service.taskSets().forEach(t -> deploymentIds.add(t.id()));
        List<Task> serviceTasks = TasksByGroup.of(region, clusterName, group).stream()
                .filter(t -> deploymentIds.contains(t.startedBy()))
                .toList();
        InstancesByStatus.Cluster instances = InstancesByStatus.of(region, clusterName);
        return new ServiceStep.Fleet(serviceTasks, instances.notActive(), instances.active());
    }
}
