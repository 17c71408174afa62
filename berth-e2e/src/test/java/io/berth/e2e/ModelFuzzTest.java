package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.e2e.FuzzBodies.Kind;
import io.berth.e2e.FuzzBodies.Operation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Every operation of every service Berth answers, as the AWS SDK models them, sent bodies from well-formed to
 * hostile (see {@link FuzzBodies}), signed by a key without any policy and by the account's root: no answer is a
 * server fault, every request is answered, the server is alive afterwards, and the key without policy has changed
 * nothing.
 */
class ModelFuzzTest {

    /** A service as the wire knows it: its SigV4 name, the SDK client that models it, and how its requests look. */
    private record Service(String signingName, Class<?> client, String targetPrefix, String queryVersion) {

        static Service json(String signingName, Class<?> client, String targetPrefix) {
            return new Service(signingName, client, targetPrefix, null);
        }

        static Service query(String signingName, Class<?> client, String version) {
            return new Service(signingName, client, null, version);
        }
    }

    private static final List<Service> SERVICES = List.of(
            Service.json("ecs", EcsClient.class, SignedHttp.TARGET_PREFIX),
            Service.json("logs", CloudWatchLogsClient.class, "Logs_20140328."),
            Service.json("ssm", SsmClient.class, "AmazonSSM."),
            Service.json("secretsmanager", SecretsManagerClient.class, "secretsmanager."),
            Service.json("cloudtrail", CloudTrailClient.class, "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."),
            Service.query("iam", IamClient.class, "2010-05-08"),
            Service.query("sts", StsClient.class, "2011-06-15"));
    private static final String FIXTURE = "fuzz-fixture";

    @TempDir
    static Path dataDir;
    static RunningBerth berth;
    static SignedHttp http;
    static AwsBasicCredentials nobody;

    @BeforeAll
    static void start() {
        berth = RunningBerth.start(dataDir);
        http = new SignedHttp(berth.endpoint());
        try (EcsClient ecs = berth.ecs(); IamClient iam = berth.iam(); SsmClient ssm = berth.ssm();
                SecretsManagerClient secrets = berth.secretsManager(); CloudWatchLogsClient logs = LogsClients.of(berth)) {
            ecs.createCluster(r -> r.clusterName(FIXTURE));
            ecs.registerTaskDefinition(r -> r.family(FIXTURE).containerDefinitions(c -> c.name("web")
                    .image("berth-test/busybox").memory(32)));
            ssm.putParameter(r -> r.name("/" + FIXTURE).value("v").type("String"));
            secrets.createSecret(r -> r.name(FIXTURE).secretString("s"));
            logs.createLogGroup(r -> r.logGroupName(FIXTURE));
            iam.createUser(r -> r.userName("fuzz-nobody"));
            var key = iam.createAccessKey(r -> r.userName("fuzz-nobody")).accessKey();
            nobody = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
        }
    }

    @AfterAll
    static void stop() {
        berth.close();
    }

    @Test
    void aKeyWithoutAnyPolicyGetsNoServerFaultAndChangesNothing() {
        String before = snapshot();

        List<String> faults = fuzz(nobody, 13);

        assertThat(faults).as("answers of 500 or more").isEmpty();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void theRootKeyGetsNoServerFaultWhateverItSends() {
        List<String> faults = fuzz(AwsBasicCredentials.create(berth.key().accessKeyId(), berth.key().secretAccessKey()),
                17);

        assertThat(faults).as("answers of 500 or more").isEmpty();
        try (EcsClient ecs = berth.ecs()) {
            assertThat(ecs.describeClusters(r -> r.clusters(FIXTURE)).clusters())
                    .singleElement().satisfies(c -> assertThat(c.status()).isEqualTo("ACTIVE"));
        }
    }

    /** Sends every operation of every service its bodies; the faults, each with what was sent. */
    private static List<String> fuzz(AwsBasicCredentials key, long seed) {
        FuzzBodies bodies = new FuzzBodies(seed);
        List<byte[]> malformed = FuzzBodies.malformedBodies();
        List<String> faults = new ArrayList<>();
        int sent = 0;
        for (Service service : SERVICES) {
            List<Operation> operations = new ArrayList<>(FuzzBodies.operationsOf(service.client()));
            operations.add(new Operation("NoSuchOperation", operations.get(0).requestType()));
            for (Operation operation : operations) {
                List<byte[]> sends = new ArrayList<>();
                for (Kind kind : Kind.values()) {
                    String body = service.targetPrefix() != null ? bodies.json(operation, kind)
                            : bodies.form(operation, service.queryVersion(), kind);
                    sends.add(body.getBytes(StandardCharsets.UTF_8));
                }
                // Two of the malformed bodies per operation, in turn, so that each service meets them all.
                sends.add(malformed.get(sent % malformed.size()));
                sends.add(malformed.get((sent + 1) % malformed.size()));
                for (byte[] body : sends) {
                    SignedHttp.Answer answer = send(service, operation, body, key);
                    sent++;
                    if (answer.status() >= 500) {
                        faults.add(service.signingName() + " " + operation.name() + " -> " + answer.status() + " "
                                + excerpt(answer.body()) + " for " + excerpt(new String(body,
                                StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        assertThat(sent).as("requests sent").isGreaterThan(1000);
        return faults;
    }

    private static SignedHttp.Answer send(Service service, Operation operation, byte[] body, AwsBasicCredentials key) {
        SignedHttp.Call call = service.targetPrefix() != null
                ? SignedHttp.Call.ecs(service.targetPrefix() + operation.name(), body)
                : new SignedHttp.Call("POST", "/", Map.of("Content-Type",
                        "application/x-www-form-urlencoded; charset=utf-8"), body);
        return http.signed(call, service.signingName(), key.accessKeyId(), key.secretAccessKey(), RunningBerth.REGION,
                Clock.systemUTC());
    }

    /** What the fixture's resources look like through each service, as the root sees them. */
    private static String snapshot() {
        try (EcsClient ecs = berth.ecs(); IamClient iam = berth.iam(); SsmClient ssm = berth.ssm();
                SecretsManagerClient secrets = berth.secretsManager(); CloudWatchLogsClient logs = LogsClients.of(berth)) {
            return String.join("\n",
                    ecs.listClusters().clusterArns().toString(),
                    ecs.describeClusters(r -> r.clusters(FIXTURE)).clusters().toString(),
                    ecs.listTaskDefinitions().taskDefinitionArns().toString(),
                    ecs.listTasks(r -> r.cluster(FIXTURE)).taskArns().toString(),
                    ecs.listServices(r -> r.cluster(FIXTURE)).serviceArns().toString(),
                    ecs.listContainerInstances(r -> r.cluster(FIXTURE)).containerInstanceArns().toString(),
                    ecs.listAccountSettings().settings().toString(),
                    ssm.describeParameters().parameters().stream().map(p -> p.name() + "@" + p.version()).toList()
                            .toString(),
                    secrets.listSecrets().secretList().stream().map(s -> s.name() + "@" + s.lastChangedDate())
                            .toList().toString(),
                    logs.describeLogGroups().logGroups().stream().map(g -> g.logGroupName()).toList().toString(),
                    iam.listUsers().users().stream().map(u -> u.userName()).toList().toString(),
                    iam.listRoles().roles().stream().map(r -> r.roleName()).toList().toString(),
                    iam.listPolicies().policies().stream().map(p -> p.policyName()).toList().toString());
        }
    }

    private static String excerpt(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
