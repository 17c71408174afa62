package io.berth.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.PlacementConstraint;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Services and placement on a cluster of simulated agents: real ACS sessions over websockets
 * against a real server, agents that run what they are sent and report it.
 */
class ServiceScenarioTest {

    static final String REGION = "us-east-1";
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final RunningServer berth = new RunningServer(REGION);

    // ---- helpers ----

    private static Fleet fleet(String cluster, int agents, AgentProfile profile) {
        berth.ecs().createCluster(r -> r.clusterName(cluster));
        return berth.fleet(cluster, agents, profile);
    }

    /** Registers a revision of the family: one essential container of the given size, answers its ARN. */
    private static String revision(String family, String image, int cpu, int memory) {
        return berth.ecs().registerTaskDefinition(r -> r.family(family).containerDefinitions(c -> c.name("app")
                .image(image).cpu(cpu).memory(memory).essential(true))).taskDefinition().taskDefinitionArn();
    }

    private static Service service(String cluster, String name) {
        return berth.ecs().describeServices(r -> r.cluster(cluster).services(name)).services().get(0);
    }

    private static List<Task> tasks(String cluster, String service, String desiredStatus) {
        List<String> arns = berth.ecs().listTasks(r -> r.cluster(cluster).serviceName(service)
                .desiredStatus(desiredStatus)).taskArns();
        return arns.isEmpty() ? List.of() : berth.ecs().describeTasks(r -> r.cluster(cluster).tasks(arns)).tasks();
    }

    private static List<Task> running(String cluster, String service) {
        return tasks(cluster, service, "RUNNING").stream().filter(t -> "RUNNING".equals(t.lastStatus())).toList();
    }

    private static List<Task> describe(String cluster, List<Task> tasks) {
        return berth.ecs().describeTasks(r -> r.cluster(cluster).tasks(tasks.stream().map(Task::taskArn).toList()))
                .tasks();
    }

    private static List<ContainerInstance> instances(String cluster) {
        List<String> arns = berth.ecs().listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns();
        return berth.ecs().describeContainerInstances(r -> r.cluster(cluster).containerInstances(arns))
                .containerInstances();
    }

    private static String attribute(ContainerInstance instance, String name) {
        return instance.attributes().stream().filter(a -> a.name().equals(name)).map(a -> a.value())
                .findFirst().orElse(null);
    }

    private static Map<String, Long> perInstance(List<Task> tasks) {
        return tasks.stream().collect(Collectors.groupingBy(Task::containerInstanceArn, Collectors.counting()));
    }

    private static SimulatedAgent agentRunning(Fleet fleet, String taskArn) {
        return fleet.agents().stream().filter(a -> a.runningTasks().contains(taskArn)).findFirst().orElseThrow();
    }

    private static void awaitSteady(String cluster, String service, int count) {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(running(cluster, service)).hasSize(count);
            assertThat(service(cluster, service).runningCount()).isEqualTo(count);
        });
    }

    // ---- services ----

    @Test
    void aThreeReplicaServiceSurvivesAKilledTaskAndADrainedInstance() {
        try (Fleet fleet = fleet("scn-survive", 3, AgentProfile.standard())) {
            String definition = revision("scn-survive", "nginx:1", 256, 256);
            berth.ecs().createService(r -> r.cluster("scn-survive").serviceName("web").taskDefinition(definition)
                    .desiredCount(3));
            awaitSteady("scn-survive", "web", 3);

            Task victim = running("scn-survive", "web").get(0);
            await().atMost(WAIT).until(() -> fleet.agents().stream()
                    .anyMatch(a -> a.runningTasks().contains(victim.taskArn())));
            assertThat(agentRunning(fleet, victim.taskArn()).exitTask(victim.taskArn(), 137)).isTrue();

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(describe("scn-survive", List.of(victim)).get(0).lastStatus()).isEqualTo("STOPPED");
                assertThat(running("scn-survive", "web")).hasSize(3)
                        .noneMatch(t -> t.taskArn().equals(victim.taskArn()));
            });

            String drained = running("scn-survive", "web").get(0).containerInstanceArn();
            berth.ecs().updateContainerInstancesState(r -> r.cluster("scn-survive").containerInstances(drained)
                    .status("DRAINING"));

            await().atMost(WAIT).untilAsserted(() -> {
                List<Task> live = running("scn-survive", "web");
                assertThat(live).hasSize(3).noneMatch(t -> t.containerInstanceArn().equals(drained));
                assertThat(tasks("scn-survive", "web", "RUNNING")).hasSize(3);
            });
            assertThat(service("scn-survive", "web").desiredCount()).isEqualTo(3);
        }
    }

    @Test
    void aRollingUpdateNeverDropsBelowTheMinimumHealthyPercentAndCompletes() throws Exception {
        try (Fleet fleet = fleet("scn-roll", 3, AgentProfile.standard().withRunDelay(Duration.ofMillis(300)))) {
            String first = revision("scn-roll", "nginx:1", 256, 256);
            String second = revision("scn-roll", "nginx:2", 256, 256);
            berth.ecs().createService(r -> r.cluster("scn-roll").serviceName("web").taskDefinition(first)
                    .desiredCount(4).deploymentConfiguration(c -> c.minimumHealthyPercent(50).maximumPercent(150)));
            awaitSteady("scn-roll", "web", 4);

            List<Integer> samples = new CopyOnWriteArrayList<>();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (sampling.get()) {
                    samples.add(running("scn-roll", "web").size());
                }
            });
            berth.ecs().updateService(r -> r.cluster("scn-roll").service("web").taskDefinition(second));

            try {
                await().atMost(WAIT).untilAsserted(() -> {
                    Service service = service("scn-roll", "web");
                    assertThat(service.deployments()).singleElement().satisfies(d -> {
                        assertThat(d.taskDefinition()).isEqualTo(second);
                        assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
                    });
                    assertThat(running("scn-roll", "web")).hasSize(4)
                            .allSatisfy(t -> assertThat(t.taskDefinitionArn()).isEqualTo(second));
                });
            } finally {
                sampling.set(false);
                sampler.join();
            }
            // 50% of 4 tasks: at least 2 stay RUNNING throughout; at most 150% (6) exist at once.
            assertThat(samples).isNotEmpty();
            assertThat(Collections.min(samples)).isGreaterThanOrEqualTo(2);
            assertThat(Collections.max(samples)).isLessThanOrEqualTo(6);
        }
    }

    @Test
    void aRevisionWhoseContainerExitsAtOnceTripsTheCircuitBreakerAndRollsBack() {
        AgentProfile profile = AgentProfile.standard().withFailingFamilies("scn-breaker-broken");
        try (Fleet fleet = fleet("scn-breaker", 3, profile)) {
            String good = revision("scn-breaker", "nginx:1", 256, 256);
            String broken = revision("scn-breaker-broken", "nginx:broken", 256, 256);
            berth.ecs().createService(r -> r.cluster("scn-breaker").serviceName("web").taskDefinition(good)
                    .desiredCount(3)
                    .deploymentConfiguration(c -> c.deploymentCircuitBreaker(b -> b.enable(true).rollback(true))));
            awaitSteady("scn-breaker", "web", 3);

            String failedDeployment = berth.ecs().updateService(r -> r.cluster("scn-breaker").service("web")
                    .taskDefinition(broken)).service().deployments().get(0).id();

            await().atMost(WAIT).untilAsserted(() -> {
                Service service = service("scn-breaker", "web");
                Deployment primary = service.deployments().stream().filter(d -> "PRIMARY".equals(d.status()))
                        .findFirst().orElseThrow();
                assertThat(primary.id()).isNotEqualTo(failedDeployment);
                assertThat(primary.taskDefinition()).isEqualTo(good);
                assertThat(service.taskDefinition()).isEqualTo(good);
                assertThat(running("scn-breaker", "web")).hasSize(3)
                        .allSatisfy(t -> assertThat(t.taskDefinitionArn()).isEqualTo(good));
            });
            List<String> stopCodes = tasks("scn-breaker", "web", "STOPPED").stream()
                    .filter(t -> broken.equals(t.taskDefinitionArn())).map(Task::stopCodeAsString).toList();
            // The breaker trips on tasks that failed to start; a broken task still pending when the
            // rollback begins is stopped by the scheduler instead.
            assertThat(stopCodes).filteredOn("TaskFailedToStart"::equals).hasSizeGreaterThanOrEqualTo(3);
            assertThat(stopCodes).isSubsetOf("TaskFailedToStart", "ServiceSchedulerInitiated");
            assertThat(berth.ecs().listServiceDeployments(r -> r.cluster("scn-breaker").service("web"))
                    .serviceDeployments()).anySatisfy(d -> {
                        assertThat(d.serviceDeploymentArn()).isNotNull();
                        assertThat(d.statusAsString()).isEqualTo("ROLLBACK_SUCCESSFUL");
                    });
        }
    }

    @Test
    void aServiceOnCapacityProvidersSplitsItsTasksOverEachProvidersInstances() {
        for (String provider : List.of("scn-cp-a", "scn-cp-b")) {
            berth.ecs().createCapacityProvider(r -> r.name(provider).autoScalingGroupProvider(g -> g
                    .autoScalingGroupArn("arn:aws:autoscaling:us-east-1:" + berth.server().accountId()
                            + ":autoScalingGroup:1:autoScalingGroupName/" + provider)));
        }
        AgentProfile onA = AgentProfile.standard().withAttributes(Map.of("ecs.capacity-provider", "scn-cp-a"));
        try (Fleet fleet = fleet("scn-cp", 2, onA)) {
            fleet.add(2, AgentProfile.standard().withAttributes(Map.of("ecs.capacity-provider", "scn-cp-b")));
            berth.ecs().putClusterCapacityProviders(r -> r.cluster("scn-cp").capacityProviders("scn-cp-a", "scn-cp-b")
                    .defaultCapacityProviderStrategy(List.of()));
            String definition = revision("scn-cp", "nginx:1", 128, 128);
            berth.ecs().createService(r -> r.cluster("scn-cp").serviceName("web").taskDefinition(definition)
                    .desiredCount(5).capacityProviderStrategy(s -> s.capacityProvider("scn-cp-a").base(1).weight(1),
                            s -> s.capacityProvider("scn-cp-b").weight(1)));

            awaitSteady("scn-cp", "web", 5);

            Map<String, String> providerOf = instances("scn-cp").stream().collect(Collectors.toMap(
                    ContainerInstance::containerInstanceArn, ContainerInstance::capacityProviderName));
            List<Task> live = running("scn-cp", "web");
            assertThat(live).allSatisfy(t ->
                    assertThat(providerOf.get(t.containerInstanceArn())).isEqualTo(t.capacityProviderName()));
            assertThat(live.stream().collect(Collectors.groupingBy(Task::capacityProviderName, Collectors.counting())))
                    .containsOnly(Map.entry("scn-cp-a", 3L), Map.entry("scn-cp-b", 2L));
        }
    }

    // ---- placement ----

    @Test
    void binpackFillsOneInstanceBeforeTheNext() {
        try (Fleet fleet = fleet("scn-binpack", 3, AgentProfile.standard())) {
            // 7 tasks of 512 MiB fit in 3764 MiB: ten tasks make one full instance and three on a second.
            String definition = revision("scn-binpack", "nginx:1", 128, 512);

            RunTaskResponse run = berth.ecs().runTask(r -> r.cluster("scn-binpack").taskDefinition(definition).count(10)
                    .placementStrategy(PlacementStrategy.builder().type("binpack").field("memory").build()));

            assertThat(run.failures()).isEmpty();
            assertThat(perInstance(run.tasks()).values()).containsExactlyInAnyOrder(7L, 3L);
            await().atMost(WAIT).untilAsserted(() -> assertThat(describe("scn-binpack", run.tasks()))
                    .allSatisfy(t -> assertThat(t.lastStatus()).isEqualTo("RUNNING")));
        }
    }

    @Test
    void spreadOverAvailabilityZonesBalancesThreeZones() {
        AgentProfile profile = AgentProfile.standard().withZones("us-east-1a", "us-east-1b", "us-east-1c");
        try (Fleet fleet = fleet("scn-spread", 6, profile)) {
            String definition = revision("scn-spread", "nginx:1", 128, 128);
            berth.ecs().createService(r -> r.cluster("scn-spread").serviceName("web").taskDefinition(definition)
                    .desiredCount(9).placementStrategy(PlacementStrategy.builder().type("spread")
                            .field("attribute:ecs.availability-zone").build()));

            awaitSteady("scn-spread", "web", 9);

            Map<String, Long> perZone = running("scn-spread", "web").stream()
                    .collect(Collectors.groupingBy(Task::availabilityZone, Collectors.counting()));
            assertThat(perZone).containsOnly(Map.entry("us-east-1a", 3L), Map.entry("us-east-1b", 3L),
                    Map.entry("us-east-1c", 3L));
        }
    }

    @Test
    void distinctInstanceNeverCoLocates() {
        try (Fleet fleet = fleet("scn-distinct", 3, AgentProfile.standard())) {
            String definition = revision("scn-distinct", "nginx:1", 128, 128);
            berth.ecs().createService(r -> r.cluster("scn-distinct").serviceName("web").taskDefinition(definition)
                    .desiredCount(3).placementConstraints(PlacementConstraint.builder().type("distinctInstance")
                            .build()));
            awaitSteady("scn-distinct", "web", 3);

            berth.ecs().updateService(r -> r.cluster("scn-distinct").service("web").desiredCount(5));

            await().atMost(WAIT).untilAsserted(() -> assertThat(service("scn-distinct", "web").events())
                    .anySatisfy(e -> assertThat(e.message()).contains("was unable to place a task")));
            List<Task> live = tasks("scn-distinct", "web", "RUNNING");
            assertThat(live).hasSize(3);
            assertThat(new HashSet<>(live.stream().map(Task::containerInstanceArn).toList())).hasSize(3);
        }
    }

    @Test
    void memberOfExcludesInstancesByAttribute() {
        try (Fleet fleet = fleet("scn-member", 2, AgentProfile.standard().withAttributes(Map.of("stack", "blue")))) {
            fleet.add(2, AgentProfile.standard().withAttributes(Map.of("stack", "green")));
            String definition = revision("scn-member", "nginx:1", 128, 128);
            List<String> blue = new ArrayList<>();
            instances("scn-member").stream().filter(i -> "blue".equals(attribute(i, "stack")))
                    .forEach(i -> blue.add(i.containerInstanceArn()));

            RunTaskResponse run = berth.ecs().runTask(r -> r.cluster("scn-member").taskDefinition(definition).count(8)
                    .placementConstraints(PlacementConstraint.builder().type("memberOf")
                            .expression("attribute:stack == blue").build()));

            assertThat(blue).hasSize(2);
            assertThat(run.tasks()).hasSize(8).allSatisfy(t -> assertThat(blue).contains(t.containerInstanceArn()));
            await().atMost(WAIT).untilAsserted(() -> assertThat(describe("scn-member", run.tasks()))
                    .allSatisfy(t -> assertThat(t.lastStatus()).isEqualTo("RUNNING")));
        }
    }
}
