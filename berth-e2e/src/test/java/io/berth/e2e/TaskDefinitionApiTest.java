package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.ecs.model.CPUArchitecture;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeleteTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionFamiliesResponse;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.OSFamily;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

class TaskDefinitionApiTest extends ApiTest {

    private static String arn(String familyAndRevision) {
        return "arn:aws:ecs:us-east-1:" + berth.accountId() + ":task-definition/" + familyAndRevision;
    }

    private static ContainerDefinition container(String name) {
        return ContainerDefinition.builder().name(name).image("busybox").memory(32).build();
    }

    private static TaskDefinition register(String family) {
        return ecs.registerTaskDefinition(r -> r.family(family).containerDefinitions(container("app"))).taskDefinition();
    }

    private static TaskDefinition describe(String reference) {
        return ecs.describeTaskDefinition(r -> r.taskDefinition(reference)).taskDefinition();
    }

    private static String messageOf(Throwable thrown) {
        return ((ClientException) thrown).awsErrorDetails().errorMessage();
    }

    /** The two-container WordPress task of shared/examples/wordpress.json. */
    private static RegisterTaskDefinitionRequest wordpress(String family) {
        return RegisterTaskDefinitionRequest.builder()
                .family(family)
                .containerDefinitions(
                        ContainerDefinition.builder().name("wordpress").image("wordpress:4").essential(true)
                                .links("mysql")
                                .portMappings(PortMapping.builder().containerPort(80).hostPort(80).build())
                                .cpu(10).memory(500).build(),
                        ContainerDefinition.builder().name("mysql").image("mysql:5").essential(true)
                                .environment(KeyValuePair.builder().name("MYSQL_ROOT_PASSWORD").value("password").build())
                                .cpu(10).memory(500).build())
                .build();
    }

    @Test
    void wordpressRoundTripsWithWhatEcsFillsIn() {
        RegisterTaskDefinitionResponse registered = ecs.registerTaskDefinition(wordpress("wordpress-trip"));
        TaskDefinition described = describe("wordpress-trip");

        TaskDefinition expected = TaskDefinition.builder()
                .taskDefinitionArn(arn("wordpress-trip:1"))
                .family("wordpress-trip")
                .revision(1)
                .status("ACTIVE")
                .containerDefinitions(
                        ContainerDefinition.builder().name("wordpress").image("wordpress:4").cpu(10).memory(500)
                                .links("mysql")
                                .portMappings(PortMapping.builder().containerPort(80).hostPort(80).protocol("tcp").build())
                                .essential(true).environment(List.of()).mountPoints(List.of()).volumesFrom(List.of())
                                .systemControls(List.of()).build(),
                        ContainerDefinition.builder().name("mysql").image("mysql:5").cpu(10).memory(500)
                                .portMappings(List.of()).essential(true)
                                .environment(KeyValuePair.builder().name("MYSQL_ROOT_PASSWORD").value("password").build())
                                .mountPoints(List.of()).volumesFrom(List.of()).systemControls(List.of()).build())
                .volumes(List.of())
                .placementConstraints(List.of())
                .compatibilitiesWithStrings("EXTERNAL", "EC2")
                .registeredAt(described.registeredAt())
                .registeredBy(described.registeredBy())
                .build();
        assertThat(described).isEqualTo(expected);
        assertThat(registered.taskDefinition()).isEqualTo(described);
        assertThat(registered.hasTags()).isFalse();
        assertThat(described.registeredBy()).startsWith("arn:aws:iam::" + berth.accountId() + ":");
        assertThat(described.registeredAt()).isBetween(Instant.now().minusSeconds(60), Instant.now());
    }

    @Test
    void everyContainerAndTaskMemberComesBackAsSent() {
        ContainerDefinition logRouter = ContainerDefinition.builder()
                .name("log-router").image("fluent/fluent-bit:3").memory(64).essential(false)
                .firelensConfiguration(f -> f.type("fluentbit").options(Map.of("enable-ecs-log-metadata", "true")))
                .build();
        ContainerDefinition full = ContainerDefinition.builder()
                .name("app")
                .image("registry.example.com/team/app:1.2")
                .repositoryCredentials(c -> c.credentialsParameter("arn:aws:secretsmanager:us-east-1:123456789012:secret:reg"))
                .cpu(256).memory(512).memoryReservation(256)
                .links("log-router:logs")
                .portMappings(PortMapping.builder().containerPort(8080).hostPort(0).protocol("tcp").name("http")
                        .appProtocol("http").build(), PortMapping.builder().containerPort(53).hostPort(5353).protocol("udp").build())
                .essential(true)
                .restartPolicy(r -> r.enabled(true).ignoredExitCodes(0, 143).restartAttemptPeriod(60))
                .entryPoint("/bin/sh", "-c")
                .command("exec app --serve")
                .environment(KeyValuePair.builder().name("MODE").value("production").build())
                .environmentFiles(f -> f.type("s3").value("arn:aws:s3:::config/app.env"))
                .mountPoints(m -> m.sourceVolume("data").containerPath("/data").readOnly(false))
                .volumesFrom(v -> v.sourceContainer("log-router").readOnly(true))
                .linuxParameters(l -> l.capabilities(c -> c.add("NET_ADMIN").drop("MKNOD"))
                        .devices(d -> d.hostPath("/dev/fuse").containerPath("/dev/fuse").permissionsWithStrings("read", "write"))
                        .initProcessEnabled(true).sharedMemorySize(64)
                        .tmpfs(t -> t.containerPath("/scratch").size(32).mountOptions("noexec"))
                        .maxSwap(128).swappiness(10))
                .secrets(s -> s.name("DB_PASSWORD").valueFrom("arn:aws:ssm:us-east-1:123456789012:parameter/db"))
                .dependsOn(d -> d.containerName("log-router").condition("START"))
                .startTimeout(30).stopTimeout(20)
                .versionConsistency("disabled")
                .hostname("app-host").user("1000:1000").workingDirectory("/srv")
                .disableNetworking(false).privileged(false).readonlyRootFilesystem(true)
                .dnsServers("10.0.0.2").dnsSearchDomains("internal.example")
                .extraHosts(h -> h.hostname("db.internal").ipAddress("10.0.0.5"))
                .dockerSecurityOptions("no-new-privileges")
                .interactive(false).pseudoTerminal(false)
                .dockerLabels(Map.of("team", "web", "tier", "front"))
                .ulimits(u -> u.name("nofile").softLimit(1024).hardLimit(4096))
                .logConfiguration(l -> l.logDriver("awsfirelens").options(Map.of("Name", "stdout"))
                        .secretOptions(s -> s.name("token").valueFrom("arn:aws:ssm:us-east-1:123456789012:parameter/t")))
                .healthCheck(h -> h.command("CMD-SHELL", "curl -f http://localhost:8080/ || exit 1")
                        .interval(10).timeout(3).retries(2).startPeriod(5))
                .systemControls(s -> s.namespace("net.core.somaxconn").value("1024"))
                .resourceRequirements(r -> r.type("GPU").value("1"))
                .credentialSpecs("credentialspec:arn:aws:s3:::bucket/spec.json")
                .build();
        assertThat(unsetMembers(full)).as("the test sends every container member ECS has; the log router"
                + " container carries the FireLens one").containsExactly("firelensConfiguration");
        RegisterTaskDefinitionRequest request = RegisterTaskDefinitionRequest.builder()
                .family("everything")
                .taskRoleArn("arn:aws:iam::123456789012:role/app")
                .executionRoleArn("arn:aws:iam::123456789012:role/exec")
                .networkMode("bridge")
                .containerDefinitions(full, logRouter)
                .volumes(v -> v.name("data").dockerVolumeConfiguration(d -> d.scope("shared").autoprovision(true)
                        .driver("local").driverOpts(Map.of("type", "tmpfs")).labels(Map.of("k", "v"))))
                .placementConstraints(p -> p.type("memberOf").expression("attribute:ecs.os-type == linux"))
                .requiresCompatibilitiesWithStrings("EC2")
                .cpu("1024").memory("2048")
                .tags(Tag.builder().key("team").value("web").build())
                .pidMode("task").ipcMode("task")
                .proxyConfiguration(p -> p.type("APPMESH").containerName("log-router")
                        .properties(KeyValuePair.builder().name("ProxyIngressPort").value("15000").build()))
                .inferenceAccelerators(a -> a.deviceName("device1").deviceType("eia2.medium"))
                .ephemeralStorage(e -> e.sizeInGiB(30))
                .runtimePlatform(p -> p.operatingSystemFamily("LINUX").cpuArchitecture("X86_64"))
                .enableFaultInjection(true)
                .build();
        assertThat(unsetMembers(request)).as("the test sends every task member ECS has").isEmpty();

        ecs.registerTaskDefinition(request);
        DescribeTaskDefinitionResponse described = ecs.describeTaskDefinition(r -> r.taskDefinition("everything:1")
                .include(TaskDefinitionField.TAGS));

        TaskDefinition definition = described.taskDefinition();
        assertThat(definition.containerDefinitions()).containsExactly(full, logRouter.toBuilder().cpu(0)
                .portMappings(List.of()).environment(List.of()).mountPoints(List.of()).volumesFrom(List.of())
                .systemControls(List.of()).build());
        assertThat(definition.taskRoleArn()).isEqualTo(request.taskRoleArn());
        assertThat(definition.executionRoleArn()).isEqualTo(request.executionRoleArn());
        assertThat(definition.networkModeAsString()).isEqualTo("bridge");
        assertThat(definition.volumes()).isEqualTo(request.volumes());
        assertThat(definition.placementConstraints()).isEqualTo(request.placementConstraints());
        assertThat(definition.requiresCompatibilitiesAsStrings()).containsExactly("EC2");
        assertThat(definition.cpu()).isEqualTo("1024");
        assertThat(definition.memory()).isEqualTo("2048");
        assertThat(definition.pidModeAsString()).isEqualTo("task");
        assertThat(definition.ipcModeAsString()).isEqualTo("task");
        assertThat(definition.proxyConfiguration()).isEqualTo(request.proxyConfiguration());
        assertThat(definition.inferenceAccelerators()).isEqualTo(request.inferenceAccelerators());
        assertThat(definition.ephemeralStorage()).isEqualTo(request.ephemeralStorage());
        assertThat(definition.runtimePlatform()).isEqualTo(request.runtimePlatform());
        assertThat(definition.enableFaultInjection()).isTrue();
        assertThat(described.tags()).isEqualTo(request.tags());
        assertThat(definition.requiresAttributes()).extracting(a -> a.name()).contains(
                "com.amazonaws.ecs.capability.logging-driver.awsfirelens",
                "ecs.capability.container-health-check",
                "com.amazonaws.ecs.capability.task-iam-role",
                "ecs.capability.private-registry-authentication.secretsmanager",
                "ecs.capability.secrets.ssm.environment-variables",
                "ecs.capability.container-ordering",
                "ecs.capability.firelens.fluentbit");
    }

    /** The members of a shape that are not set, to prove a test sends them all. */
    private static List<String> unsetMembers(SdkPojo shape) {
        return shape.sdkFields().stream()
                .filter(field -> {
                    Object value = field.getValueOrDefault(shape);
                    return value == null || value instanceof SdkAutoConstructList || value instanceof SdkAutoConstructMap;
                })
                .map(SdkField::memberName)
                .toList();
    }

    @Test
    void aFargateDefinitionRoundTripsWithTheLaunchTypesItSuits() {
        ContainerDefinition web = ContainerDefinition.builder().name("web").image("nginx:1.27")
                .portMappings(PortMapping.builder().containerPort(80).build())
                .logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS).options(Map.of("awslogs-group", "/ecs/web",
                        "awslogs-region", "us-east-1", "awslogs-stream-prefix", "web")))
                .build();
        RegisterTaskDefinitionResponse registered = ecs.registerTaskDefinition(r -> r.family("fargate-web")
                .requiresCompatibilities(Compatibility.FARGATE).networkMode(NetworkMode.AWSVPC)
                .cpu("1 vCPU").memory("2 GB")
                .executionRoleArn("arn:aws:iam::" + berth.accountId() + ":role/ecsTaskExecutionRole")
                .runtimePlatform(p -> p.operatingSystemFamily(OSFamily.LINUX).cpuArchitecture(CPUArchitecture.X86_64))
                .ephemeralStorage(e -> e.sizeInGiB(30))
                .containerDefinitions(web));
        TaskDefinition described = describe("fargate-web");

        assertThat(described).isEqualTo(registered.taskDefinition());
        assertThat(described.compatibilities())
                .containsExactly(Compatibility.EC2, Compatibility.MANAGED_INSTANCES, Compatibility.FARGATE);
        assertThat(described.requiresCompatibilities()).containsExactly(Compatibility.FARGATE);
        assertThat(described.cpu()).isEqualTo("1024");
        assertThat(described.memory()).isEqualTo("2048");
        assertThat(described.containerDefinitions().get(0).portMappings())
                .containsExactly(PortMapping.builder().containerPort(80).hostPort(80).protocol("tcp").build());
        assertThat(described.requiresAttributes()).extracting(a -> a.name())
                .contains("ecs.capability.task-eni", "ecs.capability.execution-role-awslogs");
        assertThat(describe(register("fargate-bridge").taskDefinitionArn()).compatibilities())
                .containsExactly(Compatibility.EXTERNAL, Compatibility.EC2);
    }

    @Test
    void describeFindsARevisionByFamilyRevisionOrArn() {
        register("lookup");
        register("lookup");
        ecs.deregisterTaskDefinition(r -> r.taskDefinition("lookup:2"));

        assertThat(describe("lookup").revision()).as("a family means its latest ACTIVE revision").isEqualTo(1);
        assertThat(describe("lookup:2").statusAsString()).isEqualTo("INACTIVE");
        assertThat(describe(arn("lookup:2")).revision()).isEqualTo(2);
    }

    @Test
    void describeRefusesWhatDoesNotExist() {
        register("gone");
        ecs.deregisterTaskDefinition(r -> r.taskDefinition("gone:1"));

        for (String reference : List.of("never-registered", "gone", "gone:2", "gone:x",
                "arn:aws:ecs:eu-west-1:" + berth.accountId() + ":task-definition/gone:1")) {
            assertThatThrownBy(() -> describe(reference))
                    .as(reference)
                    .isInstanceOf(ClientException.class)
                    .satisfies(e -> assertThat(messageOf(e)).isEqualTo("Unable to describe task definition."));
        }
    }

    @Test
    void tagsComeBackFromRegisterAndFromDescribeWhenIncluded() {
        Tag tag = Tag.builder().key("owner").value("ops").build();
        RegisterTaskDefinitionResponse registered = ecs.registerTaskDefinition(r -> r.family("tagged")
                .containerDefinitions(container("app")).tags(tag));

        assertThat(registered.tags()).containsExactly(tag);
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition("tagged:1")).hasTags()).isFalse();
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition("tagged:1").include(TaskDefinitionField.TAGS))
                .tags()).containsExactly(tag);
        register("untagged");
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition("untagged").include(TaskDefinitionField.TAGS))
                .tags()).isEmpty();
    }

    @Test
    void registerRefusesInvalidDefinitionsWithClientException() {
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("bad family")
                .containerDefinitions(container("app")))).isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("no-image")
                .containerDefinitions(ContainerDefinition.builder().name("app").memory(32).build())))
                .isInstanceOf(ClientException.class)
                .satisfies(e -> assertThat(messageOf(e)).isEqualTo("Container.image should not be null or empty."));
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("no-memory")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("busybox").build())))
                .isInstanceOf(ClientException.class)
                .satisfies(e -> assertThat(messageOf(e)).contains("At least one of 'memory' or 'memoryReservation'"));
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("fargate")
                .containerDefinitions(container("app")).requiresCompatibilitiesWithStrings("FARGATE")
                .networkMode("awsvpc").cpu("256").memory("4096")))
                .isInstanceOf(ClientException.class)
                .satisfies(e -> assertThat(messageOf(e)).isEqualTo("No Fargate configuration exists for given values:"
                        + " 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values."));
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("fargate")
                .containerDefinitions(container("app")).requiresCompatibilitiesWithStrings("FARGATE")
                .networkMode("bridge").cpu("256").memory("512")))
                .isInstanceOf(ClientException.class)
                .satisfies(e -> assertThat(messageOf(e)).isEqualTo("Fargate only supports network mode \u2018awsvpc\u2019."));
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("awsvpc-ports").networkMode("awsvpc")
                .containerDefinitions(container("app").toBuilder()
                        .portMappings(p -> p.containerPort(80).hostPort(8080)).build())))
                .isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("reserved-tag")
                .containerDefinitions(container("app")).tags(Tag.builder().key("aws:x").value("y").build())))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> describe("no-image")).isInstanceOf(ClientException.class);
    }

    @Test
    void listTaskDefinitionsFiltersByWholeFamilyAndStatus() {
        register("lst");
        register("lst");
        register("lst-longer");
        ecs.deregisterTaskDefinition(r -> r.taskDefinition("lst:1"));

        assertThat(ecs.listTaskDefinitions(r -> r.familyPrefix("lst")).taskDefinitionArns())
                .as("familyPrefix names a whole family").containsExactly(arn("lst:2"));
        assertThat(ecs.listTaskDefinitions(r -> r.familyPrefix("lst").status("INACTIVE")).taskDefinitionArns())
                .containsExactly(arn("lst:1"));
        assertThat(ecs.listTaskDefinitions(r -> r.familyPrefix("ls")).taskDefinitionArns()).isEmpty();
        assertThat(ecs.listTaskDefinitions().taskDefinitionArns())
                .contains(arn("lst:2"), arn("lst-longer:1")).doesNotContain(arn("lst:1"));
    }

    @Test
    void listTaskDefinitionsSortsAndPages() {
        for (int i = 0; i < 3; i++) {
            register("paged");
        }

        ListTaskDefinitionsResponse first = ecs.listTaskDefinitions(r -> r.familyPrefix("paged").maxResults(2));
        ListTaskDefinitionsResponse rest = ecs.listTaskDefinitions(r -> r.familyPrefix("paged").maxResults(2)
                .nextToken(first.nextToken()));

        assertThat(first.taskDefinitionArns()).containsExactly(arn("paged:1"), arn("paged:2"));
        assertThat(rest.taskDefinitionArns()).containsExactly(arn("paged:3"));
        assertThat(rest.nextToken()).isNull();
        assertThat(ecs.listTaskDefinitionsPaginator(r -> r.familyPrefix("paged").sort("DESC").maxResults(1))
                .taskDefinitionArns()).containsExactly(arn("paged:3"), arn("paged:2"), arn("paged:1"));
    }

    @Test
    void listTaskDefinitionsRefusesBadParameters() {
        assertThatThrownBy(() -> ecs.listTaskDefinitions(r -> r.maxResults(101)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listTaskDefinitions(r -> r.maxResults(0)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listTaskDefinitions(r -> r.status("RETIRED")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listTaskDefinitions(r -> r.sort("SIDEWAYS")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listTaskDefinitions(r -> r.nextToken("%%%")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void listTaskDefinitionFamiliesFiltersByPrefixAndStatus() {
        register("fam-live");
        register("fam-retired");
        register("fam-mixed");
        register("fam-mixed");
        ecs.deregisterTaskDefinition(r -> r.taskDefinition("fam-retired:1"));
        ecs.deregisterTaskDefinition(r -> r.taskDefinition("fam-mixed:1"));

        assertThat(ecs.listTaskDefinitionFamilies(r -> r.familyPrefix("fam-")).families())
                .containsExactly("fam-live", "fam-mixed", "fam-retired");
        assertThat(ecs.listTaskDefinitionFamilies(r -> r.familyPrefix("fam-").status("ACTIVE")).families())
                .containsExactly("fam-live", "fam-mixed");
        assertThat(ecs.listTaskDefinitionFamilies(r -> r.familyPrefix("fam-").status("INACTIVE")).families())
                .containsExactly("fam-retired");
        assertThat(ecs.listTaskDefinitionFamilies(r -> r.familyPrefix("fam-").status("ALL")).families()).hasSize(3);
        assertThat(ecs.listTaskDefinitionFamilies(r -> r.familyPrefix("fam-m")).families()).containsExactly("fam-mixed");
    }

    @Test
    void listTaskDefinitionFamiliesPages() {
        register("pf-a");
        register("pf-b");
        register("pf-c");

        ListTaskDefinitionFamiliesResponse first = ecs.listTaskDefinitionFamilies(r -> r.familyPrefix("pf-").maxResults(2));

        assertThat(first.families()).containsExactly("pf-a", "pf-b");
        assertThat(ecs.listTaskDefinitionFamilies(r -> r.familyPrefix("pf-").nextToken(first.nextToken())).families())
                .containsExactly("pf-c");
        assertThat(ecs.listTaskDefinitionFamiliesPaginator(r -> r.familyPrefix("pf-").maxResults(1)).families())
                .containsExactly("pf-a", "pf-b", "pf-c");
        assertThatThrownBy(() -> ecs.listTaskDefinitionFamilies(r -> r.maxResults(101)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listTaskDefinitionFamilies(r -> r.status("DELETE_IN_PROGRESS")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void deregisterMakesARevisionInactive() {
        register("retire");

        TaskDefinition deregistered = ecs.deregisterTaskDefinition(r -> r.taskDefinition(arn("retire:1"))).taskDefinition();
        TaskDefinition again = ecs.deregisterTaskDefinition(r -> r.taskDefinition("retire:1")).taskDefinition();

        assertThat(deregistered.statusAsString()).isEqualTo("INACTIVE");
        assertThat(deregistered.deregisteredAt()).isNotNull();
        assertThat(again).as("deregistering an INACTIVE revision answers it unchanged").isEqualTo(deregistered);
        assertThat(describe("retire:1")).isEqualTo(deregistered);
    }

    @Test
    void deregisterNeedsOneExistingRevision() {
        register("needs-revision");

        assertThatThrownBy(() -> ecs.deregisterTaskDefinition(r -> r.taskDefinition("needs-revision")))
                .isInstanceOf(ClientException.class)
                .satisfies(e -> assertThat(messageOf(e)).contains("family:revision"));
        assertThatThrownBy(() -> ecs.deregisterTaskDefinition(r -> r.taskDefinition("needs-revision:9")))
                .isInstanceOf(ClientException.class)
                .satisfies(e -> assertThat(messageOf(e)).contains("does not exist"));
        assertThat(describe("needs-revision:1").statusAsString()).isEqualTo("ACTIVE");
    }

    @Test
    void deleteTaskDefinitionsDeletesOnlyInactiveOnes() {
        register("doomed");
        register("doomed");
        ecs.deregisterTaskDefinition(r -> r.taskDefinition("doomed:1"));

        DeleteTaskDefinitionsResponse response = ecs.deleteTaskDefinitions(r -> r.taskDefinitions(
                "doomed:1", arn("doomed:2"), "doomed:7", "doomed"));

        assertThat(response.taskDefinitions()).singleElement().satisfies(deleted -> {
            assertThat(deleted.taskDefinitionArn()).isEqualTo(arn("doomed:1"));
            assertThat(deleted.statusAsString()).isEqualTo("DELETE_IN_PROGRESS");
            assertThat(deleted.deleteRequestedAt()).isNotNull();
        });
        assertThat(response.failures()).extracting(Failure::arn, Failure::reason).containsExactly(
                tuple(arn("doomed:2"), "The specified task definition is still in ACTIVE"
                        + " status. Please deregister the target and try again."),
                tuple(arn("doomed:7"), "The specified task definition does not exist."
                        + " Specify a valid account, family, revision and try again."),
                tuple(arn("doomed"), "The specified task definition does not exist."
                        + " Specify a valid account, family, revision and try again."));
        assertThat(describe("doomed:1").statusAsString()).as("kept, as ECS keeps it for a while")
                .isEqualTo("DELETE_IN_PROGRESS");
        assertThat(ecs.listTaskDefinitions(r -> r.familyPrefix("doomed").status("DELETE_IN_PROGRESS"))
                .taskDefinitionArns()).containsExactly(arn("doomed:1"));
        assertThat(ecs.listTaskDefinitions(r -> r.familyPrefix("doomed").status("INACTIVE")).taskDefinitionArns())
                .isEmpty();
        assertThat(register("doomed").revision()).isEqualTo(3);
        assertThatThrownBy(() -> ecs.deregisterTaskDefinition(r -> r.taskDefinition("doomed:1")))
                .isInstanceOf(ClientException.class);
    }

    @Test
    void deleteTaskDefinitionsTakesOneToTen() {
        assertThatThrownBy(() -> ecs.deleteTaskDefinitions(r -> r.taskDefinitions(List.of())))
                .isInstanceOf(InvalidParameterException.class);
        List<String> eleven = IntStream.rangeClosed(1, 11).mapToObj(i -> "many:" + i).toList();
        assertThatThrownBy(() -> ecs.deleteTaskDefinitions(r -> r.taskDefinitions(eleven)))
                .isInstanceOf(InvalidParameterException.class);
    }
}
