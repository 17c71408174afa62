package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceField;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionFamilyStatus;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.TaskField;

/**
 * A server killed with SIGKILL keeps every write it acknowledged. The server runs as its own JVM
 * ({@code berth server}), is killed with no chance to flush, and is started again on the same data
 * directory.
 */
class RestartTest {

    private static final List<ClusterField> ALL_CLUSTER_FIELDS = List.of(ClusterField.TAGS, ClusterField.SETTINGS,
            ClusterField.STATISTICS, ClusterField.CONFIGURATIONS, ClusterField.ATTACHMENTS);

    @TempDir
    Path dir;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Test
    void everyAnswerIsTheSameAfterASigkillRightAfterTheLastAcknowledgedWrite() {
        Path data = dir.resolve("data");
        BerthProcess berth = servers.start(data);
        Map<String, Object> before;
        Cluster lastWritten;
        try (EcsClient ecs = BerthProcess.client(data, berth.port())) {
            writeClusters(ecs);
            registerTaskDefinitions(ecs);
            runTasksOnAnInstance(ecs);
            ecs.putAccountSetting(r -> r.name("containerInsights").value("enabled"));
            before = answers(ecs);

            lastWritten = ecs.createCluster(r -> r.clusterName("restart-last")
                    .tags(tag("written", "last"))).cluster();
            berth.kill();
        }

        BerthProcess restarted = servers.start(data);
        try (EcsClient ecs = BerthProcess.client(data, restarted.port())) {
            Map<String, Object> after = answers(ecs);
            @SuppressWarnings("unchecked")
            List<String> listed = new ArrayList<>((List<String>) after.get("ListClusters"));
            assertThat(listed.remove(lastWritten.clusterArn())).as("the last acknowledged cluster is listed").isTrue();
            after.put("ListClusters", listed);
            assertThat(after.keySet()).isEqualTo(before.keySet());
            before.forEach((call, answer) -> assertThat(after.get(call)).as(call).isEqualTo(answer));

            Cluster last = ecs.describeClusters(r -> r.clusters("restart-last").include(ClusterField.TAGS))
                    .clusters().get(0);
            assertThat(last.clusterArn()).isEqualTo(lastWritten.clusterArn());
            assertThat(last.status()).isEqualTo("ACTIVE");
            assertThat(last.tags()).containsExactly(tag("written", "last"));
        }
    }

    @Test
    void everyClusterWhoseCreationWasAnsweredSurvivesASigkillAtARandomMoment() throws Exception {
        Path data = dir.resolve("data");
        BerthProcess berth = servers.start(data);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int writers = 4;
        List<List<String>> acknowledged = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try (EcsClient ecs = BerthProcess.client(data, berth.port())) {
            for (int w = 0; w < writers; w++) {
                List<String> answered = new CopyOnWriteArrayList<>();
                acknowledged.add(answered);
                String prefix = "loop-" + w + "-";
                threads.add(Thread.ofPlatform().start(() -> createUntilTheServerDies(ecs, prefix, answered)));
            }
            awaitTotal(acknowledged, 40);
            Thread.sleep(random.nextInt(400));
            berth.kill();
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(60));
            }
        }

        BerthProcess restarted = servers.start(data);
        try (EcsClient ecs = BerthProcess.client(data, restarted.port())) {
            Set<String> existing = new HashSet<>();
            ecs.listClustersPaginator(r -> r.maxResults(100)).clusterArns()
                    .forEach(arn -> existing.add(arn.substring(arn.lastIndexOf('/') + 1)));
            for (int w = 0; w < writers; w++) {
                List<String> answered = acknowledged.get(w);
                String prefix = "loop-" + w + "-";
                // The one request in flight at the kill may or may not have been kept; nothing else may appear.
                String inFlight = prefix + answered.size();
                assertThat(existing).as("seed %d, writer %d", seed, w).containsAll(answered);
                assertThat(existing.stream().filter(name -> name.startsWith(prefix)))
                        .as("seed %d, writer %d", seed, w)
                        .allMatch(name -> answered.contains(name) || name.equals(inFlight));
            }
        }
    }

    private static void writeClusters(EcsClient ecs) {
        ecs.createCluster(r -> r.clusterName("restart-prod")
                .tags(tag("team", "infra"), tag("env", "prod"))
                .settings(setting("enabled")));
        ecs.createCluster(r -> r.clusterName("restart-staging").tags(tag("env", "staging")));
        ecs.createCluster(r -> r.clusterName("restart-updated"));
        ecs.updateClusterSettings(r -> r.cluster("restart-updated").settings(setting("enabled")));
        ecs.createCluster(r -> r.clusterName("restart-deleted"));
        ecs.deleteCluster(r -> r.cluster("restart-deleted"));
    }

    private static void registerTaskDefinitions(EcsClient ecs) {
        for (String image : List.of("nginx:1.25", "nginx:1.27")) {
            ecs.registerTaskDefinition(r -> r.family("restart-web")
                    .tags(tag("app", "web"))
                    .containerDefinitions(ContainerDefinition.builder().name("web").image(image).memory(128)
                            .essential(true).portMappings(p -> p.containerPort(80).hostPort(8080)).build()));
        }
        ecs.deregisterTaskDefinition(r -> r.taskDefinition("restart-web:1"));
        ecs.registerTaskDefinition(r -> r.family("restart-batch")
                .containerDefinitions(ContainerDefinition.builder().name("job").image("busybox").memory(64).build()));
    }

    /** An instance with attributes, a task its agent reported RUNNING, and a stopped one. */
    private static void runTasksOnAnInstance(EcsClient ecs) {
        ContainerInstance instance = Instances.register(ecs, "restart-prod", b -> b.tags(tag("rack", "r1")));
        ecs.putAttributes(r -> r.cluster("restart-prod").attributes(a -> a.name("stack").value("blue")
                .targetId(instance.containerInstanceArn())));
        String running = ecs.runTask(r -> r.cluster("restart-prod").taskDefinition("restart-web:2")
                .startedBy("restart").tags(tag("task", "kept"))).tasks().get(0).taskArn();
        ecs.submitTaskStateChange(r -> r.cluster("restart-prod").task(running).status("RUNNING")
                .containers(c -> c.containerName("web").status("RUNNING").runtimeId("c0ffee")
                        .networkBindings(b -> b.bindIP("0.0.0.0").containerPort(80).hostPort(8080).protocol("tcp"))));
        ecs.updateContainerInstancesState(r -> r.cluster("restart-prod")
                .containerInstances(instance.containerInstanceArn()).status("DRAINING"));
        ecs.updateContainerInstancesState(r -> r.cluster("restart-prod")
                .containerInstances(instance.containerInstanceArn()).status("ACTIVE"));
        String stopped = ecs.runTask(r -> r.cluster("restart-prod").taskDefinition("restart-batch")
                .overrides(o -> o.containerOverrides(c -> c.name("job").memory(32)))
                .placementStrategy(p -> p.type("binpack").field("memory"))).tasks().get(0).taskArn();
        ecs.stopTask(r -> r.cluster("restart-prod").task(stopped).reason("restart test"));
        ecs.submitTaskStateChange(r -> r.cluster("restart-prod").task(stopped).status("STOPPED")
                .containers(c -> c.containerName("job").status("STOPPED").exitCode(0)));
    }

    /** Every describe and list answer about what the test wrote before the kill. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> answers(EcsClient ecs) {
        Map<String, Object> answers = new LinkedHashMap<>();
        answers.put("ListClusters", ecs.listClustersPaginator(r -> r.maxResults(2)).clusterArns().stream().toList());
        DescribeClustersResponse clusters = ecs.describeClusters(r -> r.include(ALL_CLUSTER_FIELDS)
                .clusters("restart-prod", "restart-staging", "restart-updated", "restart-deleted", "restart-absent"));
        answers.put("DescribeClusters.clusters", clusters.clusters());
        answers.put("DescribeClusters.failures", clusters.failures());
        for (Cluster cluster : clusters.clusters()) {
            answers.put("ListTagsForResource " + cluster.clusterName(),
                    ecs.listTagsForResource(r -> r.resourceArn(cluster.clusterArn())).tags());
        }
        answers.put("ListTaskDefinitionFamilies", ecs.listTaskDefinitionFamiliesPaginator(
                r -> r.status(TaskDefinitionFamilyStatus.ALL).familyPrefix("restart-")).families().stream().toList());
        List<String> arns = Stream.of(TaskDefinitionStatus.ACTIVE, TaskDefinitionStatus.INACTIVE)
                .flatMap(status -> ecs.listTaskDefinitionsPaginator(r -> r.status(status).familyPrefix("restart-web"))
                        .taskDefinitionArns().stream())
                .toList();
        answers.put("ListTaskDefinitions", arns);
        for (String arn : arns) {
            DescribeTaskDefinitionResponse described = ecs.describeTaskDefinition(
                    r -> r.taskDefinition(arn).include(TaskDefinitionField.TAGS));
            answers.put("DescribeTaskDefinition " + arn, List.of(described.taskDefinition(), described.tags()));
        }
        answers.put("ListContainerInstances", ecs.listContainerInstancesPaginator(r -> r.cluster("restart-prod"))
                .containerInstanceArns().stream().toList());
        List<String> instances = (List<String>) answers.get("ListContainerInstances");
        answers.put("DescribeContainerInstances", ecs.describeContainerInstances(r -> r.cluster("restart-prod")
                .containerInstances(instances).include(ContainerInstanceField.TAGS)).containerInstances());
        answers.put("ListAttributes", ecs.listAttributes(r -> r.cluster("restart-prod").targetType("container-instance"))
                .attributes());
        List<String> tasks = new ArrayList<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            List<String> listed = ecs.listTasksPaginator(r -> r.cluster("restart-prod").desiredStatus(status))
                    .taskArns().stream().toList();
            answers.put("ListTasks " + status, listed);
            tasks.addAll(listed);
        }
        answers.put("DescribeTasks", ecs.describeTasks(r -> r.cluster("restart-prod").tasks(tasks)
                .include(TaskField.TAGS)).tasks());
        answers.put("ListAccountSettings", ecs.listAccountSettings(r -> r.effectiveSettings(true)).settings());
        return answers;
    }

    private static void createUntilTheServerDies(EcsClient ecs, String prefix, List<String> answered) {
        for (int i = 0; ; i++) {
            String name = prefix + i;
            try {
                ecs.createCluster(r -> r.clusterName(name));
            } catch (RuntimeException serverGone) {
                return;
            }
            answered.add(name);
        }
    }

    private static void awaitTotal(List<List<String>> acknowledged, int total) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (acknowledged.stream().mapToInt(List::size).sum() < total) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Fewer than " + total + " clusters were created within a minute");
            }
            Thread.sleep(5);
        }
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static ClusterSetting setting(String value) {
        return ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value(value).build();
    }
}
