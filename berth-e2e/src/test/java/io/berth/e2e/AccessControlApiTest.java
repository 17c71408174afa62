package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.iam.AccessKey;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.policy.PolicyDocument;
import io.berth.control.iam.policy.PolicyEvaluator;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AccessDeniedException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;

/**
 * IAM enforcement seen by SDK clients: the account root may do everything; user {@code alice} may
 * describe and list (but not the cluster {@code secret}) and run tasks in cluster {@code open} only,
 * and is explicitly denied DeleteCluster and, from the loopback network, ListTaskDefinitionFamilies; user {@code agent} holds the container-instance
 * permissions an agent needs and nothing else.
 */
class AccessControlApiTest {

    private static final PolicyDocument ALICE_POLICY = PolicyDocument.parse("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": ["ecs:Describe*", "ecs:List*"],
                 "NotResource": "arn:aws:ecs:*:*:cluster/secret"},
                {"Effect": "Allow", "Action": "ecs:RunTask", "Resource": "*",
                 "Condition": {"ArnLike": {"ecs:cluster": "arn:aws:ecs:*:*:cluster/open"}}},
                {"Effect": "Deny", "Action": "ecs:DeleteCluster", "Resource": "*"},
                {"Effect": "Deny", "Action": "ecs:ListTaskDefinitionFamilies", "Resource": "*",
                 "Condition": {"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}}}
              ]
            }""");

    /** What a container instance's role needs, as in the ECS container-instance managed policy. */
    private static final PolicyDocument AGENT_POLICY = PolicyDocument.parse("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Resource": "*", "Action": ["ecs:RegisterContainerInstance",
                  "ecs:DeregisterContainerInstance", "ecs:DiscoverPollEndpoint", "ecs:Poll",
                  "ecs:StartTelemetrySession", "ecs:Submit*"]}
              ]
            }""");

    /** The identity policies of this test's users, decided by the IAM policy engine. */
    private static final Authorizer POLICIES = (caller, request) -> {
        List<PolicyDocument> policies = caller.principalArn().endsWith(":user/alice") ? List.of(ALICE_POLICY)
                : caller.principalArn().endsWith(":user/agent") ? List.of(AGENT_POLICY) : List.of();
        return PolicyEvaluator.evaluate(policies, caller.principalArn(), request);
    };

    @TempDir
    static Path dataDir;
    static RunningBerth berth;
    static EcsClient root;
    static EcsClient alice;
    static EcsClient agent;
    static AccessKey agentKey;
    static AccessKey aliceKey;

    @BeforeAll
    static void startBerth() {
        berth = RunningBerth.start(dataDir, POLICIES);
        root = berth.ecs();
        aliceKey = berth.server().accessKeys().create(berth.accountId(), user("alice"));
        agentKey = berth.server().accessKeys().create(berth.accountId(), user("agent"));
        alice = berth.ecs(aliceKey);
        agent = berth.ecs(agentKey);
        for (String cluster : List.of("open", "closed", "secret", "agents")) {
            root.createCluster(r -> r.clusterName(cluster));
        }
        root.registerTaskDefinition(r -> r.family("web").containerDefinitions(ContainerDefinition.builder()
                .name("app").image("busybox:latest").memory(64).essential(true).build()));
    }

    @AfterAll
    static void stopBerth() {
        root.close();
        alice.close();
        agent.close();
        berth.close();
    }

    @Test
    void aUserMayDoWhatItsPolicyAllows() {
        assertThat(alice.describeClusters(r -> r.clusters("open", "closed")).clusters()).hasSize(2);
        assertThat(alice.listClusters().clusterArns()).contains(arn("cluster/open"), arn("cluster/secret"));
        // Past authorization, RunTask itself answers: the cluster has no instances to place on.
        assertThatThrownBy(() -> alice.runTask(r -> r.cluster("open").taskDefinition("web:1")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void aRefusalIsAccessDeniedWithTheMessageAwsWrites() {
        assertThatThrownBy(() -> alice.runTask(r -> r.cluster("closed").taskDefinition("web:1")))
                .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: " + user("alice")
                            + " is not authorized to perform: ecs:RunTask on resource: " + arn("task-definition/web:1")
                            + " because no identity-based policy allows the ecs:RunTask action");
                });
    }

    @Test
    void anExplicitDenySaysSo() {
        assertThatThrownBy(() -> alice.deleteCluster(r -> r.cluster("open")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageStartingWith("User: " + user("alice") + " is not authorized to perform: ecs:DeleteCluster"
                        + " on resource: " + arn("cluster/open") + " with an explicit deny in an identity-based policy");
        assertThat(root.describeClusters(r -> r.clusters("open")).clusters().get(0).status()).isEqualTo("ACTIVE");
    }

    @Test
    void conditionsOnTheSourceAddressSeeTheConnectionsAddress() {
        assertThat(alice.listTaskDefinitions().taskDefinitionArns()).isNotEmpty();
        assertThatThrownBy(() -> alice.listTaskDefinitionFamilies())
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("ecs:ListTaskDefinitionFamilies on resource: * with an explicit deny");
    }

    @Test
    void describingSeveralResourcesIsRefusedWholeWhenOneIsDenied() {
        assertThatThrownBy(() -> alice.describeClusters(r -> r.clusters("open", "secret")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("ecs:DescribeClusters on resource: " + arn("cluster/secret"));
    }

    @Test
    void theAccountRootIsNeverRefused() {
        root.createCluster(r -> r.clusterName("root-only"));
        assertThatThrownBy(() -> root.runTask(r -> r.cluster("root-only").taskDefinition("web:1")))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(root.deleteCluster(r -> r.cluster("root-only")).cluster().status()).isEqualTo("INACTIVE");
    }

    @Test
    void anAgentsKeyRegistersAndOpensItsSessionsButCannotRunTasks() throws Exception {
        ContainerInstance instance = Instances.register(agent, "agents");
        assertThat(agent.discoverPollEndpoint(r -> r.cluster("agents")
                .containerInstance(instance.containerInstanceArn())).endpoint()).isNotBlank();

        try (AgentSocket acs = AgentSocket.open(berth.endpoint(), agentKey, RunningBerth.REGION,
                AgentSocket.acsQuery("agents", instance.containerInstanceArn()));
                AgentSocket telemetry = AgentSocket.open(berth.endpoint(), agentKey, RunningBerth.REGION,
                        AgentSocket.telemetryQuery("agents", instance.containerInstanceArn()))) {
            assertThat(acs).isNotNull();
            assertThat(telemetry).isNotNull();
        }
        assertThatThrownBy(() -> agent.runTask(r -> r.cluster("agents").taskDefinition("web:1")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("ecs:RunTask");
        assertThatThrownBy(() -> agent.describeClusters(r -> r.clusters("open")))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void anAgentSessionWithoutPollPermissionIsRefusedWith403() {
        ContainerInstance instance = Instances.register(root, "closed");

        assertThatThrownBy(() -> AgentSocket.open(berth.endpoint(), aliceKey, RunningBerth.REGION,
                AgentSocket.acsQuery("closed", instance.containerInstanceArn())))
                .hasStackTraceContaining("status code 403");
        assertThatThrownBy(() -> AgentSocket.open(berth.endpoint(), aliceKey, RunningBerth.REGION,
                AgentSocket.telemetryQuery("closed", instance.containerInstanceArn())))
                .hasStackTraceContaining("status code 403");
    }

    private static String user(String name) {
        return "arn:aws:iam::" + berth.accountId() + ":user/" + name;
    }

    private static String arn(String resource) {
        return "arn:aws:ecs:" + RunningBerth.REGION + ":" + berth.accountId() + ":" + resource;
    }
}
