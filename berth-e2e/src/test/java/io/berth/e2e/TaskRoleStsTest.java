package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.model.acs.AcsTask;
import io.berth.model.acs.IamRoleCredentials;
import io.berth.model.acs.PayloadMessage;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/** A plain server gives tasks their roles' credentials from its own STS: real sessions of the role. */
class TaskRoleStsTest extends ApiTest {

    private static final String TASKS_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String LIST_CLUSTERS_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
            + "\"Allow\",\"Action\":\"ecs:ListClusters\",\"Resource\":\"*\"}]}";
    static IamClient iam;

    @BeforeAll
    static void iamClient() {
        iam = berth.iam();
    }

    @AfterAll
    static void closeIam() {
        iam.close();
    }

    @Test
    void aTaskRoleTrustingEcsTasksReachesTheAgentAsWorkingCredentialsOfTheRole() throws Exception {
        String roleArn = iam.createRole(r -> r.roleName("app-task").assumeRolePolicyDocument(TASKS_TRUST)).role().arn();
        iam.putRolePolicy(r -> r.roleName("app-task").policyName("list-only").policyDocument(LIST_CLUSTERS_ONLY));
        ecs.createCluster(r -> r.clusterName("sts-roles"));
        ContainerInstance instance = Instances.registerWithTaskRoles(ecs, "sts-roles");
        ecs.registerTaskDefinition(r -> r.family("with-role").taskRoleArn(roleArn)
                .containerDefinitions(c -> c.name("app").image("berth-test/busybox").memory(32)));

        try (AgentSocket socket = AgentSocket.open(berth.endpoint(), berth.key(), RunningBerth.REGION,
                AgentSocket.acsQuery("sts-roles", instance.containerInstanceArn()))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> berth.server().agentSessions()
                    .isConnected(instance.containerInstanceArn()));
            String taskArn = ecs.runTask(r -> r.cluster("sts-roles").taskDefinition("with-role")).tasks().get(0)
                    .taskArn();

            AcsTask task = socket.next(PayloadMessage.class, Duration.ofSeconds(10)).tasks().get(0);
            IamRoleCredentials credentials = task.roleCredentials();

            assertThat(credentials.accessKeyId()).startsWith("ASIA");
            String taskId = taskArn.substring(taskArn.lastIndexOf('/') + 1);
            AwsSessionCredentials session = AwsSessionCredentials.create(credentials.accessKeyId(),
                    credentials.secretAccessKey(), credentials.sessionToken());
            try (StsClient asTask = berth.sts(session); EcsClient ecsAsTask = berth.ecs(session)) {
                assertThat(asTask.getCallerIdentity().arn())
                        .isEqualTo("arn:aws:sts::" + berth.accountId() + ":assumed-role/app-task/" + taskId);
                assertThat(ecsAsTask.listClusters().clusterArns()).isNotEmpty();
                assertThatThrownBy(() -> ecsAsTask.createCluster(r -> r.clusterName("not-for-tasks")))
                        .isInstanceOfSatisfying(software.amazon.awssdk.services.ecs.model.EcsException.class,
                                e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:sts::"
                                        + berth.accountId() + ":assumed-role/app-task/" + taskId
                                        + " is not authorized to perform: ecs:CreateCluster on resource: arn:aws:ecs:"
                                        + RunningBerth.REGION + ":" + berth.accountId()
                                        + ":cluster/not-for-tasks because no identity-based policy allows the"
                                        + " ecs:CreateCluster action"));
            }
        }
    }

    @Test
    void aTaskRoleThatDoesNotTrustEcsTasksRefusesTheTask() {
        String roleArn = iam.createRole(r -> r.roleName("host-only").assumeRolePolicyDocument(
                TASKS_TRUST.replace("ecs-tasks.amazonaws.com", "ec2.amazonaws.com"))).role().arn();
        ecs.createCluster(r -> r.clusterName("untrusted"));
        Instances.registerWithTaskRoles(ecs, "untrusted");
        ecs.registerTaskDefinition(r -> r.family("untrusting").taskRoleArn(roleArn)
                .containerDefinitions(c -> c.name("app").image("berth-test/busybox").memory(32)));

        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("untrusted").taskDefinition("untrusting")))
                .isInstanceOf(ClientException.class)
                .hasMessageStartingWith("ECS was unable to assume the role '" + roleArn + "'");
    }
}
