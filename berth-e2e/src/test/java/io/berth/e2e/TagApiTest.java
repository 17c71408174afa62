package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ecs.model.Tag;

class TagApiTest extends ApiTest {

    @Test
    void clusterTagsChangeThroughTheTagOperationsAndShowInDescribe() {
        String arn = ecs.createCluster(r -> r.clusterName("tag-journey").tags(tag("team", "a"))).cluster().clusterArn();

        ecs.tagResource(r -> r.resourceArn(arn).tags(tag("team", "b"), tag("env", "dev")));
        ecs.untagResource(r -> r.resourceArn(arn).tagKeys("env"));

        assertThat(ecs.listTagsForResource(r -> r.resourceArn(arn)).tags()).containsExactly(tag("team", "b"));
        assertThat(ecs.describeClusters(r -> r.clusters(arn).include(ClusterField.TAGS)).clusters().get(0).tags())
                .containsExactly(tag("team", "b"));
    }

    @Test
    void taskDefinitionsContainerInstancesAndTasksAreTaggedByArn() {
        ecs.createCluster(r -> r.clusterName("tag-hosts"));
        String instanceArn = Instances.register(ecs, "tag-hosts").containerInstanceArn();
        String taskDefinitionArn = ecs.registerTaskDefinition(r -> r.family("tag-web")
                .containerDefinitions(c -> c.name("web").image("busybox").memory(64))
                .tags(tag("app", "web"))).taskDefinition().taskDefinitionArn();
        String taskArn = ecs.runTask(r -> r.cluster("tag-hosts").taskDefinition(taskDefinitionArn)).tasks().get(0)
                .taskArn();

        ecs.tagResource(r -> r.resourceArn(instanceArn).tags(tag("rack", "r1")));
        ecs.tagResource(r -> r.resourceArn(taskDefinitionArn).tags(tag("tier", "front")));
        ecs.tagResource(r -> r.resourceArn(taskArn).tags(tag("run", "1")));

        assertThat(ecs.listTagsForResource(r -> r.resourceArn(instanceArn)).tags()).containsExactly(tag("rack", "r1"));
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition(taskDefinitionArn)
                .includeWithStrings("TAGS")).tags()).containsExactly(tag("app", "web"), tag("tier", "front"));
        assertThat(ecs.describeTasks(r -> r.cluster("tag-hosts").tasks(taskArn).includeWithStrings("TAGS")).tasks()
                .get(0).tags()).containsExactly(tag("run", "1"));
    }

    @Test
    void unknownResourcesAreNotFoundAndMalformedArnsInvalid() {
        String absent = "arn:aws:ecs:us-east-1:" + berth.accountId() + ":cluster/tag-absent";

        assertThatThrownBy(() -> ecs.listTagsForResource(r -> r.resourceArn(absent)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn("not-an-arn").tags(tag("k", "v"))))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void reservedKeysAreRefused() {
        String arn = ecs.createCluster(r -> r.clusterName("tag-reserved")).cluster().clusterArn();

        assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn(arn).tags(tag("AWS:x", "v"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(ecs.listTagsForResource(r -> r.resourceArn(arn)).tags()).isEmpty();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
