package io.berth.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Looks at the instances of a cluster again and again through a node picked at random until closed, noting every
 * moment one was oversubscribed: a remaining resource below zero, or more memory in tasks meant to run on it than
 * it has.
 */
final class CapacitySampler implements AutoCloseable {

    private static final Duration BETWEEN_SAMPLES = Duration.ofMillis(300);

    /** A moment an instance held more than it has. */
    record Oversubscription(Instant at, Node readThrough, String instance, String detail) {
    }

    private final List<Oversubscription> oversubscriptions = new CopyOnWriteArrayList<>();
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    private CapacitySampler() {
    }

    static CapacitySampler start(NodeSet nodes, Map<Node, EcsClient> clients, String cluster, List<String> instances,
            int taskMemory) {
        CapacitySampler sampler = new CapacitySampler();
        sampler.thread.submit(() -> {
            while (!sampler.stopped.get()) {
                List<Node> running = nodes.all().stream().filter(nodes::isRunning).toList();
                if (!running.isEmpty()) {
                    Node node = running.get(ThreadLocalRandom.current().nextInt(running.size()));
                    sampler.sample(node, clients.get(node), cluster, instances, taskMemory);
                }
                try {
                    Thread.sleep(BETWEEN_SAMPLES);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return sampler;
    }

    private void sample(Node node, EcsClient ecs, String cluster, List<String> instances, int taskMemory) {
        try {
            List<ContainerInstance> described = ecs.describeContainerInstances(r -> r.cluster(cluster)
                    .containerInstances(instances)).containerInstances();
            Map<String, Long> tasksMeantToRun = tasksMeantToRun(ecs, cluster);
            Instant at = Instant.now();
            for (ContainerInstance instance : described) {
                String arn = instance.containerInstanceArn();
                for (String resource : List.of("CPU", "MEMORY")) {
                    int remaining = Instances.resource(instance.remainingResources(), resource).integerValue();
                    if (remaining < 0) {
                        oversubscriptions.add(new Oversubscription(at, node, arn, resource + " remaining " + remaining));
                    }
                }
                int memory = Instances.resource(instance.registeredResources(), "MEMORY").integerValue();
                long held = tasksMeantToRun.getOrDefault(arn, 0L) * taskMemory;
                if (held > memory) {
                    oversubscriptions.add(new Oversubscription(at, node, arn,
                            held + " MiB in tasks desired RUNNING on " + memory + " MiB"));
                }
            }
            samples.incrementAndGet();
        } catch (RuntimeException e) {
            unanswered.incrementAndGet();
        }
    }

    /** How many tasks desired RUNNING each instance has. */
    private static Map<String, Long> tasksMeantToRun(EcsClient ecs, String cluster) {
        List<String> arns = ecs.listTasksPaginator(r -> r.cluster(cluster).desiredStatus(DesiredStatus.RUNNING))
                .taskArns().stream().toList();
        List<Task> tasks = new ArrayList<>();
        for (int from = 0; from < arns.size(); from += 100) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
            tasks.addAll(ecs.describeTasks(r -> r.cluster(cluster).tasks(batch)).tasks());
        }
        return tasks.stream().filter(task -> "RUNNING".equals(task.desiredStatus()))
                .collect(Collectors.groupingBy(Task::containerInstanceArn, Collectors.counting()));
    }

    List<Oversubscription> oversubscriptions() {
        return List.copyOf(oversubscriptions);
    }

    int samples() {
        return samples.get();
    }

    int unanswered() {
        return unanswered.get();
    }

    @Override
    public void close() {
        stopped.set(true);
        thread.close();
    }
}
