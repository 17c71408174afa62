package io.berth.control.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsSecret;
import io.berth.model.acs.RegistryAuthentication;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.ElasticNetworkInterface;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.HealthCheck;
import software.amazon.awssdk.services.ecs.model.HostEntry;
import software.amazon.awssdk.services.ecs.model.HostVolumeProperties;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import software.amazon.awssdk.services.ecs.model.Ulimit;
import software.amazon.awssdk.services.ecs.model.Volume;

class TaskPayloadsTest {

    private static final String ACCOUNT = "123456789012";
    private final TaskPayloads payloads = new TaskPayloads();
    private final ObjectMapper json = new ObjectMapper();

    private static TaskDefinition definition(String networkMode, ContainerDefinition... containers) {
        return TaskDefinition.builder()
                .taskDefinitionArn("arn:aws:ecs:us-east-1:" + ACCOUNT + ":task-definition/web:3")
                .family("web").revision(3).networkMode(networkMode)
                .containerDefinitions(containers)
                .volumes(Volume.builder().name("data").host(HostVolumeProperties.builder().sourcePath("/srv").build()).build(),
                        Volume.builder().name("scratch").build())
                .build();
    }

    private static Task task(ContainerOverride... overrides) {
        return Task.builder()
                .taskArn("arn:aws:ecs:us-east-1:" + ACCOUNT + ":task/prod/0123456789abcdef0123456789abcdef")
                .clusterArn("arn:aws:ecs:us-east-1:" + ACCOUNT + ":cluster/prod")
                .cpu("512").memory("256").group("service:frontend").availabilityZone("zone-a")
                .containers(Container.builder().name("web").containerArn("arn:container/web").build())
                .overrides(TaskOverride.builder().containerOverrides(overrides).build())
                .build();
    }

    private JsonNode parse(String document) throws Exception {
        return json.readTree(document);
    }

    @Test
    void theTaskCarriesWhatTheAgentNeedsToRunIt() {
        AcsTask task = payloads.build(task(), definition(null, ContainerDefinition.builder().name("web").image("httpd")
                .cpu(10).memory(64).essential(true)
                .portMappings(PortMapping.builder().containerPort(80).hostPort(0).protocol("tcp").build())
                .environment(KeyValuePair.builder().name("A").value("1").build())
                .build()), "RUNNING");

        assertThat(task.arn()).endsWith("task/prod/0123456789abcdef0123456789abcdef");
        assertThat(task.family()).isEqualTo("web");
        assertThat(task.version()).isEqualTo("3");
        assertThat(task.desiredStatus()).isEqualTo("RUNNING");
        assertThat(task.cpu()).isEqualTo(0.5);
        assertThat(task.memory()).isEqualTo(256);
        assertThat(task.serviceName()).isEqualTo("frontend");
        assertThat(task.taskDefinitionAccountId()).isEqualTo(ACCOUNT);
        assertThat(task.volumes()).extracting(v -> v.name() + ":" + v.type() + ":" + v.host().sourcePath())
                .containsExactly("data:host:/srv", "scratch:host:null");
        AcsContainer web = task.containers().get(0);
        assertThat(web.environment()).isEqualTo(Map.of("A", "1"));
        assertThat(web.portMappings()).singleElement().satisfies(p -> {
            assertThat(p.containerPort()).isEqualTo(80);
            assertThat(p.hostPort()).isZero();
        });
        assertThat(web.containerArn()).isEqualTo("arn:container/web");
        assertThat(web.dockerConfig().config()).isNull();
        assertThat(web.dockerConfig().hostConfig()).isNull();
    }

    @Test
    void overridesReplaceCommandAndLimitsAndAddEnvironment() {
        AcsTask task = payloads.build(task(ContainerOverride.builder().name("web").command("sh", "-c", "exit 3")
                        .memory(128).environment(KeyValuePair.builder().name("B").value("2").build()).build()),
                definition(null, ContainerDefinition.builder().name("web").image("httpd").memory(64).command("httpd")
                        .environment(KeyValuePair.builder().name("A").value("1").build()).build()), "RUNNING");

        AcsContainer web = task.containers().get(0);
        assertThat(web.command()).containsExactly("sh", "-c", "exit 3");
        assertThat(web.memory()).isEqualTo(128);
        assertThat(web.environment()).isEqualTo(Map.of("A", "1", "B", "2"));
    }

    @Test
    void settingsWithoutTypedMembersTravelAsDockerConfig() throws Exception {
        AcsTask task = payloads.build(task(), definition("host", ContainerDefinition.builder().name("web").image("httpd")
                .memoryReservation(32).user("www").workingDirectory("/srv").hostname("web1")
                .dockerLabels(Map.of("tier", "front")).privileged(true).readonlyRootFilesystem(true)
                .logConfiguration(LogConfiguration.builder().logDriver("json-file").options(Map.of("max-size", "1m")).build())
                .ulimits(Ulimit.builder().name("nofile").softLimit(1024).hardLimit(2048).build())
                .extraHosts(HostEntry.builder().hostname("db").ipAddress("10.0.0.2").build())
                .healthCheck(HealthCheck.builder().command("CMD-SHELL", "true").interval(10).retries(2).build())
                .build()), "RUNNING");

        AcsContainer web = task.containers().get(0);
        JsonNode config = parse(web.dockerConfig().config());
        JsonNode host = parse(web.dockerConfig().hostConfig());
        assertThat(config.get("User").asText()).isEqualTo("www");
        assertThat(config.get("WorkingDir").asText()).isEqualTo("/srv");
        assertThat(config.get("Hostname").asText()).isEqualTo("web1");
        assertThat(config.get("Labels").get("tier").asText()).isEqualTo("front");
        assertThat(config.get("Healthcheck").get("Interval").asLong()).isEqualTo(10_000_000_000L);
        assertThat(config.get("Healthcheck").get("Retries").asInt()).isEqualTo(2);
        assertThat(web.healthCheckType()).isEqualTo("docker");
        assertThat(host.get("NetworkMode").asText()).isEqualTo("host");
        assertThat(host.get("MemoryReservation").asLong()).isEqualTo(32L * 1024 * 1024);
        assertThat(host.get("Privileged").asBoolean()).isTrue();
        assertThat(host.get("ReadonlyRootfs").asBoolean()).isTrue();
        assertThat(host.get("LogConfig").get("Type").asText()).isEqualTo("json-file");
        assertThat(host.get("LogConfig").get("Config").get("max-size").asText()).isEqualTo("1m");
        assertThat(host.get("Ulimits").get(0).get("Hard").asInt()).isEqualTo(2048);
        assertThat(host.get("ExtraHosts").get(0).asText()).isEqualTo("db:10.0.0.2");
        assertThat(task.networkMode()).isEqualTo("host");
    }

    @Test
    void anAwslogsStreamPrefixReachesDockerAsTheStreamEcsNames() throws Exception {
        JsonNode options = logOptions("awslogs", Map.of("awslogs-group", "/web", "awslogs-region", "us-east-1",
                "awslogs-stream-prefix", "front"));

        assertThat(options.has("awslogs-stream-prefix")).isFalse();
        assertThat(options.get("awslogs-stream").asText()).isEqualTo("front/web/0123456789abcdef0123456789abcdef");
        assertThat(options.get("awslogs-group").asText()).isEqualTo("/web");
        assertThat(options.get("awslogs-region").asText()).isEqualTo("us-east-1");
    }

    @Test
    void anAwslogsStreamNamedOutrightWinsOverThePrefix() throws Exception {
        JsonNode options = logOptions("awslogs", Map.of("awslogs-group", "/web", "awslogs-stream", "mine",
                "awslogs-stream-prefix", "front"));

        assertThat(options.get("awslogs-stream").asText()).isEqualTo("mine");
        assertThat(options.has("awslogs-stream-prefix")).isFalse();
    }

    @Test
    void otherLogDriversGetTheirOptionsAsWritten() throws Exception {
        JsonNode options = logOptions("json-file", Map.of("awslogs-stream-prefix", "front"));

        assertThat(options.get("awslogs-stream-prefix").asText()).isEqualTo("front");
        assertThat(options.has("awslogs-stream")).isFalse();
    }

    private JsonNode logOptions(String driver, Map<String, String> options) throws Exception {
        AcsTask task = payloads.build(task(), definition(null, ContainerDefinition.builder().name("web").image("httpd")
                .logConfiguration(LogConfiguration.builder().logDriver(driver).options(options).build())
                .build()), "RUNNING");
        return parse(task.containers().get(0).dockerConfig().hostConfig()).get("LogConfig").get("Config");
    }

    @Test
    void bridgeModeLeavesTheNetworkModeToDocker() throws Exception {
        AcsTask task = payloads.build(task(), definition("bridge", ContainerDefinition.builder().name("web").image("httpd")
                .privileged(false).build()), "STOPPED");

        assertThat(parse(task.containers().get(0).dockerConfig().hostConfig()).has("NetworkMode")).isFalse();
        assertThat(task.desiredStatus()).isEqualTo("STOPPED");
        assertThat(List.of(task.containers().get(0).essential())).containsExactly(true);
    }

    @Test
    void secretsAndRepositoryCredentialsTravelAsTheOfficialAgentReadsThem() throws Exception {
        String login = "arn:aws:secretsmanager:eu-west-1:" + ACCOUNT + ":secret:login-AbCdEf";
        String json = "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:db-AbCdEf:password::";
        AcsTask task = payloads.build(task(), definition("bridge", ContainerDefinition.builder().name("web")
                .image("registry.example.com/web:1")
                .secrets(s -> s.name("API_TOKEN").valueFrom("/app/token"), s -> s.name("DB_PASSWORD").valueFrom(json))
                .repositoryCredentials(r -> r.credentialsParameter(login))
                .logConfiguration(l -> l.logDriver("awslogs").options(Map.of("awslogs-group", "/ecs/web",
                        "awslogs-stream-prefix", "ecs")))
                .build()), "RUNNING");

        AcsContainer web = task.containers().get(0);
        assertThat(web.secrets()).containsExactly(
                new AcsSecret("API_TOKEN", "/app/token", null, "ENVIRONMENT_VARIABLE", "us-east-1", "ssm", "CONTAINER"),
                new AcsSecret("DB_PASSWORD", json, null, "ENVIRONMENT_VARIABLE", "us-east-1", "asm", "CONTAINER"));
        assertThat(web.registryAuthentication()).isEqualTo(new RegistryAuthentication("asm",
                new RegistryAuthentication.AsmAuthData(login, "eu-west-1")));
        JsonNode logConfig = parse(web.dockerConfig().hostConfig()).get("LogConfig");
        assertThat(logConfig.get("Type").asText()).isEqualTo("awslogs");
        assertThat(logConfig.get("Config").get("awslogs-group").asText()).isEqualTo("/ecs/web");
        assertThat(logConfig.get("Config").has("awslogs-stream-prefix")).isFalse();
        assertThat(logConfig.get("Config").get("awslogs-stream").asText()).startsWith("ecs/web/");
    }

    @Test
    void aContainerWithoutSecretsOrRegistryLoginSendsNeither() {
        AcsContainer web = payloads.build(task(), definition(null, ContainerDefinition.builder().name("web")
                .image("httpd").build()), "RUNNING").containers().get(0);

        assertThat(web.secrets()).isNull();
        assertThat(web.registryAuthentication()).isNull();
    }

    @Test
    void anAwsvpcTaskCarriesItsInterfaceAndListensOnItsContainerPorts() {
        ElasticNetworkInterface eni = new ElasticNetworkInterface(
                "arn:aws:ecs:us-east-1:" + ACCOUNT + ":attachment/0f6d1c5e-1111-4222-8333-444455556666",
                "eni-0123456789abcdef0", 0, "0a:12:34:56:78:9a",
                List.of(new ElasticNetworkInterface.Ipv4Address(true, "10.200.3.7")), "10.200.3.1/24",
                "ip-10-200-3-7.ec2.internal", null, null, "default", true);
        TaskDefinition awsvpc = definition("awsvpc", ContainerDefinition.builder().name("web").image("httpd")
                .portMappings(PortMapping.builder().containerPort(8080).protocol("tcp").build(),
                        PortMapping.builder().containerPort(53).hostPort(5353).protocol("udp").build())
                .build());

        AcsTask task = payloads.build(task(), awsvpc, "RUNNING", eni);
        AcsTask bridged = payloads.build(task(), definition("bridge", ContainerDefinition.builder().name("web")
                .image("httpd").build()), "RUNNING");

        assertThat(task.networkMode()).isEqualTo("awsvpc");
        assertThat(task.elasticNetworkInterfaces()).containsExactly(eni);
        assertThat(task.containers().get(0).portMappings()).extracting(p -> p.containerPort() + ":" + p.hostPort())
                .containsExactly("8080:8080", "53:53");
        assertThat(bridged.elasticNetworkInterfaces()).isNull();
    }
}
