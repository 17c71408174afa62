package io.berth.control.taskdef;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.Caller;
import io.berth.control.ControlPlane;
import io.berth.control.Scope;
import io.berth.control.state.State;
import io.berth.control.store.MemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeleteTaskDefinitionsRequest;
import software.amazon.awssdk.services.ecs.model.DeregisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsRequest;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

class TaskDefinitionServiceTest {

    private static final Scope SCOPE = new Scope("aws", "123456789012", "us-east-1");
    private static final Caller CALLER = new Caller(SCOPE, "arn:aws:iam::123456789012:user/deployer");
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123Z");

    private final MemoryStore store = new MemoryStore();
    private State state = new State(store, ControlPlane.KINDS);
    private TaskDefinitionService service = serviceOver(state);

    @AfterEach
    void close() {
        state.close();
    }

    private static TaskDefinitionService serviceOver(State state) {
        return new TaskDefinitionService(state, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static ContainerDefinition container(String name) {
        return ContainerDefinition.builder().name(name).image("busybox").memory(64).build();
    }

    private TaskDefinition register(String family, ContainerDefinition... containers) {
        return service.registerTaskDefinition(CALLER, RegisterTaskDefinitionRequest.builder()
                .family(family).containerDefinitions(containers).build()).taskDefinition();
    }

    private TaskDefinition describe(String reference) {
        return service.describeTaskDefinition(CALLER,
                DescribeTaskDefinitionRequest.builder().taskDefinition(reference).build()).taskDefinition();
    }

    private void deregister(String reference) {
        service.deregisterTaskDefinition(CALLER, DeregisterTaskDefinitionRequest.builder().taskDefinition(reference).build());
    }

    @Test
    void revisionsCountFromOneAndNumbersAreNeverReused() {
        assertThat(register("numbers", container("app")).revision()).isEqualTo(1);
        assertThat(register("numbers", container("app")).revision()).isEqualTo(2);
        deregister("numbers:2");
        service.deleteTaskDefinitions(CALLER, DeleteTaskDefinitionsRequest.builder().taskDefinitions("numbers:2").build());

        TaskDefinition third = register("numbers", container("app"));

        assertThat(third.revision()).isEqualTo(3);
        assertThat(third.taskDefinitionArn()).isEqualTo("arn:aws:ecs:us-east-1:123456789012:task-definition/numbers:3");
        assertThat(register("other", container("app")).revision()).isEqualTo(1);
    }

    @Test
    void registrationFillsInWhatEcsFillsIn() {
        TaskDefinition registered = register("plain", container("app"));

        assertThat(registered.statusAsString()).isEqualTo("ACTIVE");
        assertThat(registered.registeredAt()).isEqualTo(NOW);
        assertThat(registered.registeredBy()).isEqualTo(CALLER.principalArn());
        assertThat(registered.compatibilitiesAsStrings()).containsExactly("EXTERNAL", "EC2");
        assertThat(registered.networkMode()).as("absent means bridge, and ECS leaves it absent").isNull();
        assertThat(registered.cpu()).as("an EC2 definition without a task size keeps none").isNull();
        assertThat(registered.memory()).isNull();
        assertThat(registered.hasRequiresAttributes()).isFalse();
        assertThat(registered.volumes()).isEmpty();
        assertThat(registered.placementConstraints()).isEmpty();
        assertThat(registered.containerDefinitions()).containsExactly(container("app").toBuilder()
                .cpu(0).essential(true).portMappings(List.of()).environment(List.of()).mountPoints(List.of())
                .volumesFrom(List.of()).systemControls(List.of()).build());
    }

    @Test
    void aTaskSizeIsKeptInCpuUnitsAndMiB() {
        TaskDefinition registered = service.registerTaskDefinition(CALLER, RegisterTaskDefinitionRequest.builder()
                .family("sized").cpu("0.5 vCPU").memory("1 GB").containerDefinitions(container("app")).build())
                .taskDefinition();

        assertThat(registered.cpu()).isEqualTo("512");
        assertThat(registered.memory()).isEqualTo("1024");
    }

    @Test
    void requiredAttributesFollowTheFeaturesUsed() {
        ContainerDefinition featured = container("app").toBuilder()
                .logConfiguration(LogConfiguration.builder().logDriver("awslogs").options(Map.of("awslogs-group", "g")).build())
                .healthCheck(h -> h.command("CMD", "true"))
                .dockerLabels(Map.of("team", "web"))
                .memoryReservation(32)
                .build();

        TaskDefinition registered = service.registerTaskDefinition(CALLER, RegisterTaskDefinitionRequest.builder()
                .family("featured").containerDefinitions(featured, container("sidecar").toBuilder()
                        .dependsOn(d -> d.containerName("app").condition("HEALTHY")).build())
                .taskRoleArn("arn:aws:iam::123456789012:role/app")
                .executionRoleArn("arn:aws:iam::123456789012:role/exec")
                .networkMode("awsvpc").build()).taskDefinition();

        assertThat(registered.requiresAttributes()).extracting(Attribute::name).containsExactlyInAnyOrder(
                "com.amazonaws.ecs.capability.docker-remote-api.1.18",
                "com.amazonaws.ecs.capability.docker-remote-api.1.19",
                "com.amazonaws.ecs.capability.docker-remote-api.1.21",
                "com.amazonaws.ecs.capability.docker-remote-api.1.24",
                "com.amazonaws.ecs.capability.logging-driver.awslogs",
                "ecs.capability.execution-role-awslogs",
                "ecs.capability.container-health-check",
                "ecs.capability.container-ordering",
                "com.amazonaws.ecs.capability.task-iam-role",
                "ecs.capability.task-eni");
    }

    @Test
    void registryAndSecretSourcesNeedTheirCapabilities() {
        ContainerDefinition fromEcr = ContainerDefinition.builder().name("app").memory(64)
                .image("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1")
                .secrets(secret -> secret.name("KEY").valueFrom("arn:aws:secretsmanager:us-east-1:123456789012:secret:k"))
                .build();

        TaskDefinition registered = service.registerTaskDefinition(CALLER, RegisterTaskDefinitionRequest.builder()
                .family("sourced").containerDefinitions(fromEcr)
                .executionRoleArn("arn:aws:iam::123456789012:role/exec")
                .volumes(v -> v.name("shared").efsVolumeConfiguration(e -> e.fileSystemId("fs-1"))).build())
                .taskDefinition();

        assertThat(registered.requiresAttributes()).extracting(Attribute::name).containsExactlyInAnyOrder(
                "com.amazonaws.ecs.capability.ecr-auth",
                "ecs.capability.execution-role-ecr-pull",
                "ecs.capability.secrets.asm.environment-variables",
                "ecs.capability.efs");
    }

    @Test
    void privateRegistriesAndLogDriverSecretsNeedTheNamesTheOfficialAgentAdvertises() {
        ContainerDefinition fromPrivateRegistry = ContainerDefinition.builder().name("app").memory(64)
                .image("registry.example.com/app:1")
                .repositoryCredentials(r -> r.credentialsParameter(
                        "arn:aws:secretsmanager:us-east-1:123456789012:secret:login-AbCdEf"))
                .secrets(secret -> secret.name("TOKEN").valueFrom("/app/token"))
                .logConfiguration(l -> l.logDriver("splunk").secretOptions(secret -> secret.name("splunk-token")
                        .valueFrom("arn:aws:secretsmanager:us-east-1:123456789012:secret:splunk-AbCdEf")))
                .build();

        TaskDefinition registered = service.registerTaskDefinition(CALLER, RegisterTaskDefinitionRequest.builder()
                .family("private").containerDefinitions(fromPrivateRegistry)
                .executionRoleArn("arn:aws:iam::123456789012:role/exec").build()).taskDefinition();

        assertThat(registered.requiresAttributes()).extracting(Attribute::name).containsExactlyInAnyOrder(
                "ecs.capability.private-registry-authentication.secretsmanager",
                "ecs.capability.secrets.ssm.environment-variables",
                "ecs.capability.secrets.asm.bootstrap.log-driver",
                "com.amazonaws.ecs.capability.logging-driver.splunk",
                "com.amazonaws.ecs.capability.docker-remote-api.1.18");
    }

    @Test
    void definitionsAndTagsSurviveARestart() {
        TaskDefinition registered = service.registerTaskDefinition(CALLER, RegisterTaskDefinitionRequest.builder()
                .family("durable").containerDefinitions(container("app"))
                .tags(Tag.builder().key("team").value("web").build()).build()).taskDefinition();
        deregister("durable:1");
        TaskDefinition inactive = describe("durable:1");
        state.close();

        state = new State(store, ControlPlane.KINDS);
        service = serviceOver(state);

        assertThat(describe("durable:1")).isEqualTo(inactive);
        assertThat(inactive).isEqualTo(registered.toBuilder().status("INACTIVE").deregisteredAt(NOW).build());
        assertThat(service.describeTaskDefinition(CALLER, DescribeTaskDefinitionRequest.builder()
                .taskDefinition("durable:1").include(TaskDefinitionField.TAGS).build()).tags())
                .containsExactly(Tag.builder().key("team").value("web").build());
        assertThat(register("durable", container("app")).revision()).isEqualTo(2);
    }

    @Test
    void descendingListsPageInReverseOrder() {
        for (String family : List.of("alpha", "beta")) {
            for (int i = 0; i < 3; i++) {
                register(family, container("app"));
            }
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            ListTaskDefinitionsResponse page = service.listTaskDefinitions(CALLER, ListTaskDefinitionsRequest.builder()
                    .sort("DESC").maxResults(4).nextToken(token).build());
            seen.addAll(page.taskDefinitionArns().stream().map(a -> a.substring(a.lastIndexOf('/') + 1)).toList());
            token = page.nextToken();
        } while (token != null);

        assertThat(seen).containsExactly("beta:3", "beta:2", "beta:1", "alpha:3", "alpha:2", "alpha:1");
    }
}
