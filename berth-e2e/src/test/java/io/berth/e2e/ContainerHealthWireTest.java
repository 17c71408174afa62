package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.model.acs.AcsCodec;
import io.berth.model.acs.AcsMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.HealthStatus;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Container health as the official agent publishes it: PublishHealthRequest frames on each instance's own
 * telemetry websocket, signed header block first. The task's own instance decides its health; a service replaces
 * a task that turns UNHEALTHY, and a standalone task keeps running.
 */
class ContainerHealthWireTest extends ApiTest {

    private static final String CLUSTER = "health-wire";
    private static final Duration SCHEDULED = Duration.ofSeconds(15);

    private static ContainerInstance registerInstance() {
        List<Attribute> attributes = new ArrayList<>(Instances.agentAttributes());
        // What the official agent advertises and ECS requires of a task definition with a health check.
        attributes.add(Attribute.builder().name("ecs.capability.container-health-check").build());
        attributes.add(Attribute.builder().name("com.amazonaws.ecs.capability.docker-remote-api.1.24").build());
        return Instances.register(ecs, CLUSTER, b -> b.attributes(attributes));
    }

    private static AgentSocket telemetry(ContainerInstance instance) throws Exception {
        return AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                AgentSocket.telemetryQuery(CLUSTER, instance.containerInstanceArn()));
    }

    /** Publishes the container's health over the instance's telemetry session and waits for the acknowledgement. */
    private static void publish(AgentSocket socket, ContainerInstance instance, Task task, String health)
            throws InterruptedException {
        String now = String.format(Locale.ROOT, "%.3f", Instant.now().toEpochMilli() / 1000.0);
        String json = "{\"type\":\"PublishHealthRequest\",\"message\":{\"metadata\":{\"cluster\":\"" + CLUSTER + "\","
                + "\"containerInstance\":\"" + instance.containerInstanceArn() + "\",\"messageId\":\""
                + UUID.randomUUID() + "\",\"fin\":true},\"tasks\":[{\"taskArn\":\"" + task.taskArn() + "\","
                + "\"clusterArn\":\"" + task.clusterArn() + "\",\"taskDefinitionFamily\":\"web\","
                + "\"taskDefinitionVersion\":\"1\",\"containers\":[{\"containerName\":\"web\",\"healthStatus\":\""
                + health + "\",\"statusSince\":" + now + ",\"statusMessage\":\"\"}]}],\"timestamp\":" + now + "}}";
        socket.sendRaw(AgentSocket.telemetryFrame(berth.endpoint(), berth.key(), RunningBerth.REGION, json));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            AcsMessage message = socket.next(Duration.ofNanos(deadline - System.nanoTime()));
            if (message != null && AcsCodec.typeOf(message).equals("AckPublishHealth")) {
                return;
            }
        }
        throw new AssertionError("no AckPublishHealth");
    }

    private static Task describe(String taskArn) {
        return ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(taskArn)).tasks().get(0);
    }

    private static void reportRunning(Task task) {
        ecs.submitTaskStateChange(r -> r.cluster(CLUSTER).task(task.taskArn()).status("RUNNING")
                .containers(c -> c.containerName("web").status("RUNNING").runtimeId("c-" + task.taskArn().hashCode())));
    }

    private static List<String> serviceTasks(String desiredStatus) {
        return ecs.listTasks(r -> r.cluster(CLUSTER).serviceName("web").desiredStatus(desiredStatus)).taskArns();
    }

    private static List<String> events() {
        return ecs.describeServices(r -> r.cluster(CLUSTER).services("web")).services().get(0).events().stream()
                .map(ServiceEvent::message).toList();
    }

    @Test
    void aServiceReplacesATaskItsOwnInstanceReportsUnhealthyAndIgnoresOtherInstances() throws Exception {
        ecs.createCluster(r -> r.clusterName(CLUSTER));
        ContainerInstance first = registerInstance();
        ContainerInstance second = registerInstance();
        ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("web")
                .image("berth-test/busybox").memory(64).essential(true)
                .healthCheck(h -> h.command("CMD-SHELL", "wget -q -O /dev/null http://localhost/ || exit 1"))));

        try (AgentSocket firstTelemetry = telemetry(first); AgentSocket secondTelemetry = telemetry(second)) {
            ecs.createService(r -> r.cluster(CLUSTER).serviceName("web").taskDefinition("web").desiredCount(1));
            await().atMost(SCHEDULED).until(() -> serviceTasks("RUNNING").size() == 1);
            Task task = describe(serviceTasks("RUNNING").get(0));
            reportRunning(task);
            boolean onFirst = task.containerInstanceArn().equals(first.containerInstanceArn());
            ContainerInstance own = onFirst ? first : second;
            ContainerInstance other = onFirst ? second : first;
            AgentSocket ownTelemetry = onFirst ? firstTelemetry : secondTelemetry;
            AgentSocket otherTelemetry = onFirst ? secondTelemetry : firstTelemetry;

            publish(otherTelemetry, other, task, "UNHEALTHY");
            Task afterForeign = describe(task.taskArn());
            publish(ownTelemetry, own, task, "HEALTHY");
            Task healthy = describe(task.taskArn());
            await().atMost(SCHEDULED).until(() -> ecs.describeServices(r -> r.cluster(CLUSTER).services("web"))
                    .services().get(0).deployments().get(0).rolloutState() == DeploymentRolloutState.COMPLETED);

            Task job = ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("web")).tasks().get(0);
            reportRunning(job);
            boolean jobOnFirst = job.containerInstanceArn().equals(first.containerInstanceArn());
            publish(jobOnFirst ? firstTelemetry : secondTelemetry, jobOnFirst ? first : second, job, "UNHEALTHY");
            publish(ownTelemetry, own, task, "UNHEALTHY");
            await().atMost(SCHEDULED).until(() -> "STOPPED".equals(describe(task.taskArn()).desiredStatus()));
            Task replaced = describe(task.taskArn());
            await().atMost(SCHEDULED).until(() -> serviceTasks("RUNNING").size() == 1);

            assertThat(afterForeign.healthStatus()).isEqualTo(HealthStatus.UNKNOWN);
            assertThat(afterForeign.containers()).extracting(Container::healthStatus).containsOnly(HealthStatus.UNKNOWN);
            assertThat(healthy.healthStatus()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(healthy.containers()).extracting(Container::healthStatus).containsOnly(HealthStatus.HEALTHY);
            assertThat(replaced.healthStatus()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(replaced.stoppedReason()).isEqualTo("Task failed container health checks");
            assertThat(replaced.stopCodeAsString()).isEqualTo("ServiceSchedulerInitiated");
            assertThat(serviceTasks("RUNNING")).doesNotContain(task.taskArn());
            assertThat(events()).contains("(service web) (task " + task.taskArn().substring(
                    task.taskArn().lastIndexOf('/') + 1) + ") failed container health checks.");
            Task standalone = describe(job.taskArn());
            assertThat(standalone.healthStatus()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(standalone.desiredStatus()).isEqualTo("RUNNING");
        }
    }
}
