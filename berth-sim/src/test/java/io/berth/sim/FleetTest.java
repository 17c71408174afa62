package io.berth.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Task;

/** Simulated agents against a real server: they register, connect, run what they are sent and report it. */
class FleetTest {

    static final String REGION = "us-east-1";
    static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final RunningServer berth = new RunningServer(REGION);

    private Fleet fleet(String cluster, int agents, AgentProfile profile) {
        berth.ecs().createCluster(r -> r.clusterName(cluster));
        berth.ecs().registerTaskDefinition(r -> r.family(cluster + "-web").containerDefinitions(c -> c.name("web")
                .image("nginx").cpu(256).memory(256).essential(true)
                .portMappings(p -> p.containerPort(80).hostPort(0))));
        return berth.fleet(cluster, agents, profile);
    }

    private List<String> runTasks(String cluster, int count) {
        return berth.ecs().runTask(r -> r.cluster(cluster).taskDefinition(cluster + "-web").count(count)).tasks()
                .stream().map(Task::taskArn).toList();
    }

    private List<Task> describe(String cluster, List<String> taskArns) {
        return berth.ecs().describeTasks(r -> r.cluster(cluster).tasks(taskArns)).tasks();
    }

    private List<ContainerInstance> instances(String cluster) {
        List<String> arns = berth.ecs().listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns();
        return berth.ecs().describeContainerInstances(r -> r.cluster(cluster).containerInstances(arns))
                .containerInstances();
    }

    private static int remaining(ContainerInstance instance, String resource) {
        return instance.remainingResources().stream().filter(r -> r.name().equals(resource))
                .mapToInt(Resource::integerValue).findFirst().orElseThrow();
    }

    @Test
    void agentsRegisterConnectedWithTheirProfile() {
        try (Fleet fleet = fleet("sim-register", 3, AgentProfile.standard().withResources(4096, 8192))) {
            assertThat(fleet.agents()).hasSize(3).allSatisfy(a -> assertThat(a.isConnected()).isTrue());
            await().atMost(WAIT).untilAsserted(() -> assertThat(instances("sim-register")).hasSize(3)
                    .allSatisfy(instance -> {
                        assertThat(instance.agentConnected()).isTrue();
                        assertThat(instance.versionInfo().agentVersion()).isEqualTo(SimulatedAgent.AGENT_VERSION);
                        assertThat(remaining(instance, "CPU")).isEqualTo(4096);
                        assertThat(remaining(instance, "MEMORY")).isEqualTo(8192);
                    }));
        }
    }

    @Test
    void agentsTakeZonesInstanceTypesAndAttributesFromTheProfile() {
        AgentProfile profile = AgentProfile.standard().withZones("us-east-1a", "us-east-1b")
                .withInstanceTypes("c5.xlarge").withAttributes(java.util.Map.of("stack", "blue"));
        try (Fleet fleet = fleet("sim-zones", 2, profile)) {
            List<ContainerInstance> instances = instances("sim-zones");

            assertThat(instances).extracting(i -> attribute(i, "ecs.availability-zone"))
                    .containsExactlyInAnyOrder("us-east-1a", "us-east-1b");
            assertThat(instances).allSatisfy(i -> {
                assertThat(attribute(i, "ecs.instance-type")).isEqualTo("c5.xlarge");
                assertThat(attribute(i, "stack")).isEqualTo("blue");
            });
            assertThat(fleet.agents()).extracting(SimulatedAgent::zone).containsExactly("us-east-1a", "us-east-1b");
        }
    }

    private static String attribute(ContainerInstance instance, String name) {
        return instance.attributes().stream().filter(a -> a.name().equals(name)).map(a -> a.value())
                .findFirst().orElse(null);
    }

    @Test
    void tasksRunOnTheAgentsAndStopTaskStopsThemAndReturnsTheirResources() {
        try (Fleet fleet = fleet("sim-run", 3, AgentProfile.standard())) {
            List<String> tasks = runTasks("sim-run", 6);

            await().atMost(WAIT).untilAsserted(() -> assertThat(describe("sim-run", tasks))
                    .hasSize(6).allSatisfy(task -> {
                        assertThat(task.lastStatus()).isEqualTo("RUNNING");
                        assertThat(task.containers().get(0).lastStatus()).isEqualTo("RUNNING");
                        assertThat(task.containers().get(0).networkBindings()).singleElement()
                                .satisfies(b -> assertThat(b.hostPort()).isGreaterThanOrEqualTo(32768));
                    }));
            // An agent counts a task as running once the answer to its report is back, just after the commit.
            await().atMost(WAIT).untilAsserted(() -> {
                Set<String> running = new HashSet<>();
                fleet.agents().forEach(a -> running.addAll(a.runningTasks()));
                assertThat(running).containsExactlyInAnyOrderElementsOf(tasks);
            });

            tasks.forEach(arn -> berth.ecs().stopTask(r -> r.cluster("sim-run").task(arn)));

            await().atMost(WAIT).untilAsserted(() -> assertThat(describe("sim-run", tasks)).allSatisfy(task -> {
                assertThat(task.lastStatus()).isEqualTo("STOPPED");
                assertThat(task.containers().get(0).exitCode()).isEqualTo(137);
            }));
            assertThat(fleet.runningTaskCount()).isZero();
            await().atMost(WAIT).untilAsserted(() -> assertThat(instances("sim-run")).allSatisfy(instance -> {
                assertThat(remaining(instance, "CPU")).isEqualTo(2048);
                assertThat(remaining(instance, "MEMORY")).isEqualTo(3764);
                assertThat(instance.runningTasksCount()).isZero();
            }));
        }
    }

    @Test
    void anAgentThatRestartsIsSentItsTasksAgainAndRunsThem() {
        try (Fleet fleet = fleet("sim-restart", 1, AgentProfile.standard())) {
            SimulatedAgent agent = fleet.agents().get(0);
            List<String> tasks = runTasks("sim-restart", 2);
            await().atMost(WAIT).until(() -> agent.runningTasks().size() == 2);

            agent.restart();

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(agent.connections()).isEqualTo(2);
                assertThat(agent.runningTasks()).containsExactlyInAnyOrderElementsOf(tasks);
            });
            assertThat(describe("sim-restart", tasks)).extracting(Task::lastStatus).containsOnly("RUNNING");
        }
    }

    @Test
    void anAgentWhoseConnectionDropsReconnectsAndKeepsItsTasks() {
        try (Fleet fleet = fleet("sim-drop", 1, AgentProfile.standard())) {
            SimulatedAgent agent = fleet.agents().get(0);
            List<String> tasks = runTasks("sim-drop", 1);
            await().atMost(WAIT).until(() -> agent.runningTasks().size() == 1);

            agent.dropConnection();

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(agent.connections()).isEqualTo(2);
                assertThat(instances("sim-drop").get(0).agentConnected()).isTrue();
            });
            berth.ecs().stopTask(r -> r.cluster("sim-drop").task(tasks.get(0)));
            await().atMost(WAIT).until(() -> describe("sim-drop", tasks).get(0).lastStatus().equals("STOPPED"));
        }
    }

    @Test
    void aKilledAgentIsShownDisconnectedAndReportsNothingMore() {
        try (Fleet fleet = fleet("sim-kill", 1, AgentProfile.standard().withRunDelay(Duration.ofSeconds(2)))) {
            SimulatedAgent agent = fleet.agents().get(0);
            List<String> tasks = runTasks("sim-kill", 1);
            await().atMost(WAIT).until(() -> agent.knownTasks().size() == 1);

            agent.kill();

            await().atMost(WAIT).until(() -> !instances("sim-kill").get(0).agentConnected());
            assertThat(agent.isConnected()).isFalse();
            assertThat(describe("sim-kill", tasks).get(0).lastStatus()).isEqualTo("PENDING");
        }
    }

    @Test
    void anAgentWithTelemetryPublishesItsInstanceStatus() {
        try (Fleet fleet = fleet("sim-telemetry", 1, AgentProfile.standard().withTelemetry(true))) {
            String instance = fleet.agents().get(0).containerInstanceArn();

            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(berth.server().agentSessions().telemetry().latestStatus(instance))
                            .hasValueSatisfying(status -> assertThat(status.path("statuses").get(0).path("status")
                                    .asText()).isEqualTo("OK")));
        }
    }

    @Test
    void tasksEndOnTheirOwnAfterTheirRunTimeWithExitCodeZero() {
        try (Fleet fleet = fleet("sim-runtime", 1, AgentProfile.standard().withTaskRunTime(Duration.ofMillis(300)))) {
            List<String> tasks = runTasks("sim-runtime", 1);

            await().atMost(WAIT).untilAsserted(() -> assertThat(describe("sim-runtime", tasks).get(0)).satisfies(task -> {
                assertThat(task.lastStatus()).isEqualTo("STOPPED");
                assertThat(task.stopCodeAsString()).isEqualTo("EssentialContainerExited");
                assertThat(task.containers().get(0).exitCode()).isZero();
            }));
        }
    }

    @Test
    void failingTasksStopWithExitCodeOne() {
        try (Fleet fleet = fleet("sim-fail", 1, AgentProfile.standard().withFailureRate(1))) {
            List<String> tasks = runTasks("sim-fail", 2);

            await().atMost(WAIT).untilAsserted(() -> assertThat(describe("sim-fail", tasks)).allSatisfy(task -> {
                assertThat(task.lastStatus()).isEqualTo("STOPPED");
                assertThat(task.containers().get(0).exitCode()).isEqualTo(1);
            }));
        }
    }
}
