package io.berth.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.server.Berth;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Fargate on simulated hosts: an agent registered into the account's Fargate pool gets the Fargate tasks of a user
 * cluster over its real ACS session and reports them with the pool's name, as a host given to Fargate does.
 */
class FargateScenarioTest {

    static final String REGION = "us-east-1";
    static final String POOL = "berth.fargate";
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final RunningServer berth = new RunningServer(REGION);

    /** A revision written for Fargate: FARGATE compatibility, awsvpc, sized at the task level. */
    private static String fargateRevision(String family) {
        return berth.ecs().registerTaskDefinition(r -> r.family(family).requiresCompatibilitiesWithStrings("FARGATE")
                .networkMode(NetworkMode.AWSVPC).cpu("256").memory("512").containerDefinitions(c -> c
                        .name("app").image("nginx:1").essential(true))).taskDefinition().taskDefinitionArn();
    }

    /** A host given to Fargate gives each task a network of its own. */
    private static final AgentProfile POOL_HOST = AgentProfile.standard()
            .withAttributes(Map.of("ecs.capability.task-eni", ""));

    private static final NetworkConfiguration SUBNET = NetworkConfiguration.builder()
            .awsvpcConfiguration(v -> v.subnets("subnet-0a1b2c3d")).build();

    private static Task describe(String cluster, String taskArn) {
        return berth.ecs().describeTasks(r -> r.cluster(cluster).tasks(taskArn)).tasks().get(0);
    }

    private static List<Task> running(String cluster, String service) {
        List<String> arns = berth.ecs().listTasks(r -> r.cluster(cluster).serviceName(service)).taskArns();
        return arns.isEmpty() ? List.of() : berth.ecs().describeTasks(r -> r.cluster(cluster).tasks(arns)).tasks()
                .stream().filter(t -> "RUNNING".equals(t.lastStatus())).toList();
    }

    /** What {@code berth fargate-hosts} prints, signed with the server's first root key. */
    private static String fargateHosts() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new Berth()).execute("fargate-hosts", "--endpoint", berth.server().endpoint(),
                    "--credentials", berth.credentialsFile().toString());
            assertThat(exit).isZero();
        } finally {
            System.setOut(stdout);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aHostOfThePoolRunsAFargateTaskOfProdThatNeverShowsItsHost() {
        berth.ecs().createCluster(r -> r.clusterName("prod"));
        try (Fleet pool = berth.fleet(POOL, 1, POOL_HOST)) {
            SimulatedAgent host = pool.agents().get(0);
            String definition = fargateRevision("fargate-web");

            Task started = berth.ecs().runTask(r -> r.cluster("prod").taskDefinition(definition)
                    .launchType(LaunchType.FARGATE).networkConfiguration(SUBNET)).tasks().get(0);
            await().atMost(WAIT).until(() -> "RUNNING".equals(describe("prod", started.taskArn()).lastStatus()));
            Task running = describe("prod", started.taskArn());

            assertThat(host.runningTasks()).contains(started.taskArn());
            assertThat(started.taskArn()).contains(":task/prod/");
            assertThat(started.containerInstanceArn()).isNull();
            assertThat(running.containerInstanceArn()).isNull();
            assertThat(running.launchType()).isEqualTo(LaunchType.FARGATE);
            assertThat(running.platformVersion()).isEqualTo("1.4.0");
            assertThat(berth.ecs().listContainerInstances(r -> r.cluster("prod")).containerInstanceArns()).isEmpty();
            assertThat(berth.ecs().listClusters().clusterArns()).noneMatch(arn -> arn.endsWith("/" + POOL));
            assertThat(fargateHosts()).contains(host.containerInstanceArn()).contains("\"runningTasksCount\":1");

            berth.ecs().stopTask(r -> r.cluster("prod").task(started.taskArn()));
            await().atMost(WAIT).until(() -> "STOPPED".equals(describe("prod", started.taskArn()).lastStatus()));
        }
    }

    @Test
    void aFargateServiceReplacesAStoppedTaskOnThePool() {
        berth.ecs().createCluster(r -> r.clusterName("svc"));
        try (Fleet pool = berth.fleet(POOL, 2, POOL_HOST)) {
            String definition = fargateRevision("fargate-svc");
            berth.ecs().createService(r -> r.cluster("svc").serviceName("web").taskDefinition(definition)
                    .desiredCount(2).launchType(LaunchType.FARGATE).networkConfiguration(SUBNET));
            await().atMost(WAIT).until(() -> running("svc", "web").size() == 2);
            Task victim = running("svc", "web").get(0);

            berth.ecs().stopTask(r -> r.cluster("svc").task(victim.taskArn()));

            await().atMost(WAIT).untilAsserted(() -> {
                List<Task> now = running("svc", "web");
                assertThat(now).hasSize(2).noneMatch(t -> t.taskArn().equals(victim.taskArn()));
                assertThat(now).allSatisfy(t -> assertThat(t.containerInstanceArn()).isNull());
            });
        }
    }
}
