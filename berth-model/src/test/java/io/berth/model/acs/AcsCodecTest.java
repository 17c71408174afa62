package io.berth.model.acs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AcsCodecTest {

    /** The minimal payload from the agent protocol description, as the official agent accepts it. */
    private static final String MINIMAL_PAYLOAD = """
            {"type":"PayloadMessage","message":{
              "messageId":"pm-1","seqNum":1,"generatedAt":1795613569,
              "clusterArn":"arn:aws:ecs:us-east-1:123456789012:cluster/test",
              "containerInstanceArn":"arn:aws:ecs:us-east-1:123456789012:container-instance/test/0123",
              "tasks":[{"arn":"arn:aws:ecs:us-east-1:123456789012:task/test/1111","family":"smoke",
                "version":"1","desiredStatus":"RUNNING","taskDefinitionAccountId":"123456789012",
                "volumes":[],
                "containers":[{"name":"web","image":"busybox:local","cpu":10,"memory":32,"essential":true,
                  "command":["sh","-c","echo hello; sleep 300"],"environment":{"FOO":"bar"},
                  "portMappings":[{"containerPort":8080,"hostPort":0,"protocol":"tcp"}],
                  "mountPoints":[],"volumesFrom":[],"links":[],"overrides":"{}",
                  "dockerConfig":{"hostConfig":"{\\"LogConfig\\":{\\"Type\\":\\"json-file\\",\\"Config\\":{}}}"}}]}]}}
            """;

    private final AcsCodec codec = new AcsCodec();
    private final ObjectMapper plain = new ObjectMapper();

    @Test
    void theMinimalPayloadParses() {
        PayloadMessage payload = (PayloadMessage) codec.read(MINIMAL_PAYLOAD);

        assertThat(payload.messageId()).isEqualTo("pm-1");
        assertThat(payload.seqNum()).isEqualTo(1);
        assertThat(payload.generatedAt()).isEqualTo(1795613569L);
        assertThat(payload.clusterArn()).isEqualTo("arn:aws:ecs:us-east-1:123456789012:cluster/test");
        AcsTask task = payload.tasks().getFirst();
        assertThat(task.family()).isEqualTo("smoke");
        assertThat(task.version()).isEqualTo("1");
        assertThat(task.desiredStatus()).isEqualTo("RUNNING");
        assertThat(task.volumes()).isEmpty();
        AcsContainer web = task.containers().getFirst();
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.cpu()).isEqualTo(10);
        assertThat(web.memory()).isEqualTo(32);
        assertThat(web.essential()).isTrue();
        assertThat(web.command()).containsExactly("sh", "-c", "echo hello; sleep 300");
        assertThat(web.environment()).containsExactly(Map.entry("FOO", "bar"));
        assertThat(web.portMappings()).containsExactly(new PortMapping(8080, 0, null, "tcp"));
        assertThat(web.overrides()).isEqualTo("{}");
        assertThat(web.dockerConfig().hostConfig()).isEqualTo("{\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{}}}");
        assertThat(web.dockerConfig().config()).isNull();
    }

    @Test
    void theMinimalPayloadRoundTripsToTheSameJson() throws Exception {
        String written = codec.write(codec.read(MINIMAL_PAYLOAD));

        assertThat(plain.readTree(written)).isEqualTo(plain.readTree(MINIMAL_PAYLOAD));
        assertThat(codec.read(written)).isEqualTo(codec.read(MINIMAL_PAYLOAD));
    }

    @Test
    void secretsAndRegistryAuthenticationReadWithTheOfficialMemberNames() throws Exception {
        String payload = MINIMAL_PAYLOAD.replace("\"overrides\":\"{}\",", """
                "overrides":"{}","secrets":[{"name":"DB_PASSWORD","valueFrom":"/app/db","provider":"ssm",
                  "region":"us-east-1","target":"CONTAINER","type":"ENVIRONMENT_VARIABLE"}],
                "registryAuthentication":{"type":"asm","asmAuthData":{
                  "credentialsParameter":"arn:aws:secretsmanager:us-east-1:123456789012:secret:login-AbCdEf",
                  "region":"us-east-1"}},""");

        AcsContainer web = ((PayloadMessage) codec.read(payload)).tasks().getFirst().containers().getFirst();

        assertThat(web.secrets()).containsExactly(new AcsSecret("DB_PASSWORD", "/app/db", null,
                "ENVIRONMENT_VARIABLE", "us-east-1", "ssm", "CONTAINER"));
        assertThat(web.registryAuthentication()).isEqualTo(new RegistryAuthentication("asm",
                new RegistryAuthentication.AsmAuthData(
                        "arn:aws:secretsmanager:us-east-1:123456789012:secret:login-AbCdEf", "us-east-1")));
        assertThat(plain.readTree(codec.write(codec.read(payload)))).isEqualTo(plain.readTree(payload));
    }

    @Test
    void absentMembersAreOmittedOnOutput() throws Exception {
        JsonNode frame = plain.readTree(codec.write(new AckRequest("test", null, "pm-1")));

        assertThat(frame.get("type").asText()).isEqualTo("AckRequest");
        assertThat(frame.get("message")).isEqualTo(plain.readTree("{\"cluster\":\"test\",\"messageId\":\"pm-1\"}"));
    }

    @Test
    void unknownMembersAreIgnored() {
        AcsMessage read = codec.read("""
                {"type":"HeartbeatMessage","message":{"messageId":"hb-1","healthy":true,"futureMember":{"x":1}}}""");

        assertThat(read).isEqualTo(new HeartbeatMessage(true, "hb-1"));
    }

    @Test
    void anUnknownTypeReadsAsUnknownAndWritesBackUnchanged() throws Exception {
        String frame = "{\"type\":\"InactiveInstanceException\",\"message\":{\"message\":\"deregistered\"}}";

        AcsMessage read = codec.read(frame);

        assertThat(read).isInstanceOf(Unknown.class);
        assertThat(AcsCodec.typeOf(read)).isEqualTo("InactiveInstanceException");
        assertThat(plain.readTree(codec.write(read))).isEqualTo(plain.readTree(frame));
    }

    @Test
    void theManifestFlowMessagesKeepTheirWireNames() throws Exception {
        TaskIdentifier task = new TaskIdentifier("arn:aws:ecs:us-east-1:123456789012:task/test/1", "test", "STOPPED");
        String frame = codec.write(new TaskStopVerificationMessage("tm-1", List.of(task)));

        assertThat(plain.readTree(frame)).isEqualTo(plain.readTree("""
                {"type":"TaskStopVerificationMessage","message":{"messageId":"tm-1","stopCandidates":[
                  {"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/test/1","taskClusterArn":"test",
                   "desiredStatus":"STOPPED"}]}}"""));
        assertThat(codec.read(frame)).isEqualTo(new TaskStopVerificationMessage("tm-1", List.of(task)));
    }

    @Test
    void credentialsRoundTripButStayOutOfToString() {
        IamRoleCredentials credentials = new IamRoleCredentials("c-1", "arn:aws:iam::123456789012:role/r", "AKID",
                "SECRET", "TOKEN", "2030-01-01T00:00:00Z", null);
        IAMRoleCredentialsMessage message = new IAMRoleCredentialsMessage("arn:aws:ecs:us-east-1:123456789012:task/t/1",
                null, credentials, "TaskApplication", "cm-1");

        assertThat(codec.read(codec.write(message))).isEqualTo(message);
        assertThat(message.toString()).doesNotContain("SECRET").doesNotContain("TOKEN");
    }

    @Test
    void listsInMessagesAreImmutable() {
        PayloadMessage payload = (PayloadMessage) codec.read(MINIMAL_PAYLOAD);

        assertThatThrownBy(() -> payload.tasks().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aFrameThatIsNotAnEnvelopeIsRejected() {
        assertThatThrownBy(() -> codec.read("[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.read("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.read("{\"type\":\"PayloadMessage\",\"message\":{\"tasks\":\"x\"}}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
