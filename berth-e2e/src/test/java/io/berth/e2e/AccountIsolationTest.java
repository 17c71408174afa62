package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.iam.AccessKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Two accounts on one server, each with resources of the same names: neither account's keys see
 * or touch the other's clusters, task definitions, tasks or container instances, whether they
 * name them by name or by the other account's ARNs.
 */
class AccountIsolationTest extends ApiTest {

    private static final String OTHER_ACCOUNT = "210987654321";

    static EcsClient other;
    static AccessKey otherKey;

    @BeforeAll
    static void secondAccount() {
        otherKey = berth.server().accessKeys().create(OTHER_ACCOUNT);
        other = berth.ecs(otherKey);
    }

    @AfterAll
    static void closeSecondAccount() {
        other.close();
    }

    @Test
    void clustersOfTheSameNameAreEachAccountsOwn() {
        Cluster mine = ecs.createCluster(r -> r.clusterName("same").tags(tag("owner", "first"))).cluster();
        Cluster theirs = other.createCluster(r -> r.clusterName("same").tags(tag("owner", "second"))).cluster();

        assertThat(mine.clusterArn()).isEqualTo(arn(berth.accountId(), "cluster/same"));
        assertThat(theirs.clusterArn()).isEqualTo(arn(OTHER_ACCOUNT, "cluster/same"));
        assertThat(other.listClusters().clusterArns()).doesNotContain(mine.clusterArn());
        assertThat(ecs.listClusters().clusterArns()).doesNotContain(theirs.clusterArn());
        assertThat(other.describeClusters(r -> r.clusters("same").include(ClusterField.TAGS)).clusters())
                .singleElement().satisfies(c -> assertThat(c.tags()).containsExactly(tag("owner", "second")));
    }

    @Test
    void anotherAccountsClusterArnNamesNothing() {
        String mine = ecs.createCluster(r -> r.clusterName("guarded")).cluster().clusterArn();

        assertThat(other.describeClusters(r -> r.clusters(mine)).failures())
                .singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("MISSING"));
        assertThatThrownBy(() -> other.deleteCluster(r -> r.cluster(mine))).isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> other.deleteCluster(r -> r.cluster("guarded")))
                .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> other.listTagsForResource(r -> r.resourceArn(mine)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("does not belong to account " + OTHER_ACCOUNT);
        assertThat(ecs.describeClusters(r -> r.clusters("guarded")).clusters().get(0).status()).isEqualTo("ACTIVE");
    }

    @Test
    void taskDefinitionsOfTheSameFamilyAreNumberedPerAccount() {
        TaskDefinition mine = register(ecs, "isolated-family");
        TaskDefinition theirs = register(other, "isolated-family");

        assertThat(mine.revision()).isEqualTo(1);
        assertThat(theirs.revision()).isEqualTo(1);
        assertThat(theirs.taskDefinitionArn()).isEqualTo(arn(OTHER_ACCOUNT, "task-definition/isolated-family:1"));
        assertThat(other.listTaskDefinitions(r -> r.familyPrefix("isolated-family")).taskDefinitionArns())
                .containsExactly(theirs.taskDefinitionArn());
        assertThatThrownBy(() -> other.describeTaskDefinition(r -> r.taskDefinition(mine.taskDefinitionArn())))
                .isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> other.deregisterTaskDefinition(r -> r.taskDefinition(mine.taskDefinitionArn())))
                .isInstanceOf(ClientException.class);
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition("isolated-family:1")).taskDefinition().status())
                .hasToString("ACTIVE");
    }

    @Test
    void containerInstancesAndTasksAreSeenAndTouchedOnlyByTheirAccount() {
        ecs.createCluster(r -> r.clusterName("work"));
        other.createCluster(r -> r.clusterName("work"));
        ContainerInstance instance = Instances.register(ecs, "work");
        TaskDefinition definition = register(ecs, "isolated-task");
        Task task = ecs.runTask(r -> r.cluster("work").taskDefinition(definition.taskDefinitionArn())).tasks().get(0);

        assertThat(other.listContainerInstances(r -> r.cluster("work")).containerInstanceArns()).isEmpty();
        assertThat(other.describeContainerInstances(r -> r.cluster("work")
                .containerInstances(instance.containerInstanceArn())).failures())
                .singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("MISSING"));
        assertThatThrownBy(() -> other.deregisterContainerInstance(r -> r.cluster("work")
                .containerInstance(instance.containerInstanceArn()).force(true)))
                .isInstanceOf(InvalidParameterException.class);

        assertThat(other.listTasks(r -> r.cluster("work")).taskArns()).isEmpty();
        DescribeTasksResponse described = other.describeTasks(r -> r.cluster("work").tasks(task.taskArn()));
        assertThat(described.tasks()).isEmpty();
        assertThat(described.failures()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("MISSING"));
        assertThatThrownBy(() -> other.stopTask(r -> r.cluster("work").task(task.taskArn())))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> other.runTask(r -> r.cluster("work").taskDefinition(definition.taskDefinitionArn())))
                .isInstanceOf(ClientException.class);

        assertThat(ecs.describeTasks(r -> r.cluster("work").tasks(task.taskArn())).tasks().get(0).desiredStatus())
                .isEqualTo("RUNNING");
        assertThat(ecs.describeContainerInstances(r -> r.cluster("work")
                .containerInstances(instance.containerInstanceArn())).containerInstances().get(0).status())
                .isEqualTo("ACTIVE");
    }

    @Test
    void anotherAccountsKeyCannotOpenAnInstancesAgentSession() {
        ecs.createCluster(r -> r.clusterName("sessions-mine"));
        ContainerInstance instance = Instances.register(ecs, "sessions-mine");

        assertThatThrownBy(() -> AgentSocket.open(berth.endpoint(), otherKey, RunningBerth.REGION,
                AgentSocket.acsQuery("sessions-mine", instance.containerInstanceArn())))
                .hasStackTraceContaining("status code 400");
    }

    private static TaskDefinition register(EcsClient client, String family) {
        return client.registerTaskDefinition(r -> r.family(family).containerDefinitions(ContainerDefinition.builder()
                .name("app").image("busybox:latest").memory(64).essential(true).build())).taskDefinition();
    }

    private static String arn(String account, String resource) {
        return "arn:aws:ecs:" + RunningBerth.REGION + ":" + account + ":" + resource;
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

}
