package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AttachmentStateChange;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

class TaskApiTest {

    private static final String UNKNOWN_ID = "0123456789abcdef0123456789abcdef";

    @TempDir
    static Path dataDir;
    static RunningBerth berth;
    static EcsClient ecs;

    @BeforeAll
    static void start() {
        berth = RunningBerth.start(dataDir);
        ecs = berth.ecs();
    }

    @AfterAll
    static void stop() {
        ecs.close();
        berth.close();
    }

    private static String taskArn(String cluster, String id) {
        return "arn:aws:ecs:us-east-1:" + berth.accountId() + ":task/" + cluster + "/" + id;
    }

    @Test
    void runTaskNeedsAnExistingClusterAndTaskDefinition() {
        ecs.createCluster(r -> r.clusterName("run-errors"));

        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("no-such-cluster").taskDefinition("web")))
                .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("run-errors").taskDefinition("no-such-family:1")))
                .isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.startTask(r -> r.cluster("run-errors").taskDefinition("no-such-family")
                .containerInstances("i1")))
                .isInstanceOf(ClientException.class);
    }

    @Test
    void runTaskRefusesBadCountsAndFargate() {
        ecs.createCluster(r -> r.clusterName("run-shape"));

        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("run-shape").taskDefinition("web").count(11)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("run-shape").taskDefinition("web")
                .launchType(LaunchType.FARGATE)))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("FARGATE");
        assertThatThrownBy(() -> ecs.startTask(r -> r.cluster("run-shape").taskDefinition("web")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void stopTaskOfAnUnknownTaskIsAnInvalidParameter() {
        ecs.createCluster(r -> r.clusterName("stop-errors"));

        assertThatThrownBy(() -> ecs.stopTask(r -> r.cluster("stop-errors").task(UNKNOWN_ID)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("The referenced task was not found.");
        assertThatThrownBy(() -> ecs.stopTask(r -> r.cluster("no-such-cluster").task(UNKNOWN_ID)))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void describeTasksReportsUnknownTasksAsMissing() {
        ecs.createCluster(r -> r.clusterName("describe-missing"));

        DescribeTasksResponse response = ecs.describeTasks(r -> r.cluster("describe-missing").tasks(UNKNOWN_ID));

        assertThat(response.tasks()).isEmpty();
        assertThat(response.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).isEqualTo(taskArn("describe-missing", UNKNOWN_ID));
            assertThat(f.reason()).isEqualTo("MISSING");
        });
        assertThatThrownBy(() -> ecs.describeTasks(r -> r.cluster("describe-missing")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void listTasksOfAnEmptyClusterIsEmpty() {
        ecs.createCluster(r -> r.clusterName("list-empty"));

        assertThat(ecs.listTasks(r -> r.cluster("list-empty")).taskArns()).isEmpty();
        assertThat(ecs.listTasks(r -> r.cluster("list-empty").desiredStatus("STOPPED")).taskArns()).isEmpty();
        assertThatThrownBy(() -> ecs.listTasks(r -> r.cluster("list-empty").maxResults(101)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listTasks(r -> r.cluster("no-such-cluster")))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void agentReportsAboutUnknownTasksAreInvalidParameters() {
        ecs.createCluster(r -> r.clusterName("reports"));

        assertThatThrownBy(() -> ecs.submitTaskStateChange(r -> r.cluster("reports")
                .task(taskArn("reports", UNKNOWN_ID)).status("RUNNING")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.submitContainerStateChange(r -> r.cluster("reports")
                .task(taskArn("reports", UNKNOWN_ID)).containerName("web").status("RUNNING")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void attachmentReportsAreAcknowledged() {
        ecs.createCluster(r -> r.clusterName("attachments"));

        String acknowledgment = ecs.submitAttachmentStateChanges(r -> r.cluster("attachments")
                .attachments(AttachmentStateChange.builder()
                        .attachmentArn("arn:aws:ecs:us-east-1:" + berth.accountId() + ":attachment/a1")
                        .status("ATTACHED").build()))
                .acknowledgment();

        assertThat(acknowledgment).isEqualTo("ACK");
    }
}
