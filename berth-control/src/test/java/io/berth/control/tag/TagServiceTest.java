package io.berth.control.tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Caller;
import io.berth.control.ControlPlane;
import io.berth.control.Scope;
import io.berth.control.cluster.ClusterActivity;
import io.berth.control.cluster.ClusterService;
import io.berth.control.cluster.Clusters;
import io.berth.control.instance.ContainerInstanceTags;
import io.berth.control.instance.ContainerInstances;
import io.berth.control.state.State;
import io.berth.control.store.MemoryStore;
import io.berth.control.task.TaskTags;
import io.berth.control.task.Tasks;
import io.berth.control.taskdef.TaskDefinitionTags;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.DeleteClusterRequest;
import software.amazon.awssdk.services.ecs.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TagResourceRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.UntagResourceRequest;

class TagServiceTest {

    private static final Scope SCOPE = new Scope("aws", "123456789012", "us-east-1");
    private static final Caller CALLER = new Caller(SCOPE, "arn:aws:iam::123456789012:root");

    private final State state = new State(new MemoryStore(), ControlPlane.KINDS);
    private final ClusterService clusters = new ClusterService(state, (region, name) -> ClusterActivity.Counts.NONE,
            (region, provider) -> false);
    private final TagService tags = new TagService(state,
            List.of(Clusters.TAGGABLE, TaskDefinitionTags.TAGGABLE, ContainerInstanceTags.TAGGABLE,
                    TaskTags.TAGGABLE));

    @AfterEach
    void close() {
        state.close();
    }

    @Test
    void tagResourceAddsTagsAndReplacesValuesOfTheSameKey() {
        String arn = cluster("tagged", tag("team", "a"));

        tag(arn, tag("team", "b"), tag("env", "prod"));

        assertThat(list(arn)).containsExactly(tag("team", "b"), tag("env", "prod"));
    }

    @Test
    void untagResourceRemovesOnlyTheNamedKeys() {
        String arn = cluster("untagged", tag("a", "1"), tag("b", "2"), tag("c", "3"));

        tags.untagResource(CALLER, UntagResourceRequest.builder().resourceArn(arn).tagKeys("a", "c", "absent").build());

        assertThat(list(arn)).containsExactly(tag("b", "2"));
    }

    @Test
    void containerInstancesAndTasksAreTaggedOnTheirStoredShape() {
        cluster("prod");
        String instanceArn = SCOPE.arn("container-instance/prod/i1");
        String taskArn = SCOPE.arn("task/prod/t1");
        state.write(SCOPE, tx -> {
            tx.put(ContainerInstances.KIND, "prod/i1", ContainerInstance.builder()
                    .containerInstanceArn(instanceArn).status("ACTIVE").build());
            tx.put(Tasks.KIND, "prod/t1", Task.builder().taskArn(taskArn).lastStatus("RUNNING")
                    .tags(tag("owner", "me")).build());
            return null;
        });

        tag(instanceArn, tag("rack", "r1"));
        tag(taskArn, tag("build", "42"));

        assertThat(list(instanceArn)).containsExactly(tag("rack", "r1"));
        assertThat(list(taskArn)).containsExactly(tag("owner", "me"), tag("build", "42"));
        assertThat(state.region(SCOPE).get(Tasks.KIND, "prod/t1").orElseThrow().tags())
                .containsExactly(tag("owner", "me"), tag("build", "42"));
    }

    @Test
    void unknownResourcesAreNotFound() {
        assertError(() -> list(SCOPE.arn("cluster/absent")), "ResourceNotFoundException");
        assertError(() -> tag(SCOPE.arn("cluster/absent"), tag("k", "v")), "ResourceNotFoundException");
        assertError(() -> list(SCOPE.arn("task/prod/none")), "ResourceNotFoundException");
        assertError(() -> list(SCOPE.arn("container-instance/prod/none")), "ResourceNotFoundException");
    }

    @Test
    void aDeletedClusterShowsTheTagsItHadButTakesNoNewOnes() {
        String deleted = cluster("deleted", tag("team", "a"));
        clusters.deleteCluster(CALLER, DeleteClusterRequest.builder().cluster("deleted").build());

        assertError(() -> tag(deleted, tag("k", "v")), "InvalidParameterException");
        assertError(() -> tags.untagResource(CALLER,
                UntagResourceRequest.builder().resourceArn(deleted).tagKeys("team").build()), "InvalidParameterException");
        assertThat(list(deleted)).containsExactly(tag("team", "a"));
    }

    @Test
    void malformedArnsAndArnsOfOtherScopesAreInvalid() {
        cluster("elsewhere");

        for (String arn : List.of("", "elsewhere", "arn:aws:ecs:us-east-1:123456789012:cluster",
                "arn:aws:ecs:us-east-1:123456789012:cluster/", "arn:aws:s3:us-east-1:123456789012:cluster/elsewhere",
                "arn:aws:ecs:us-west-2:123456789012:cluster/elsewhere",
                "arn:aws:ecs:us-east-1:999999999999:cluster/elsewhere",
                "arn:aws:ecs:us-east-1:123456789012:volume/elsewhere")) {
            assertError(() -> list(arn), "InvalidParameterException");
        }
    }

    @Test
    void taskDefinitionRevisionsKeepTheirTagsApartFromTheDefinition() {
        String arn = SCOPE.arn("task-definition/web:3");
        state.write(SCOPE, tx -> {
            tx.put(TaskDefinitions.KIND, TaskDefinitions.key("web", 3), TaskDefinition.builder().taskDefinitionArn(arn)
                    .family("web").revision(3).status("ACTIVE").build());
            return null;
        });

        tag(arn, tag("tier", "front"));

        assertThat(list(arn)).containsExactly(tag("tier", "front"));
        assertThat(state.region(SCOPE).get(TaskDefinitions.TAGS_KIND, TaskDefinitions.key("web", 3)))
                .hasValueSatisfying(t -> assertThat(t.tags()).containsExactly(tag("tier", "front")));
        assertError(() -> list(SCOPE.arn("task-definition/web:4")), "ResourceNotFoundException");
        assertError(() -> list(SCOPE.arn("task-definition/web")), "ResourceNotFoundException");
    }

    @Test
    void typesWithoutTagSupportSayUnsupported() {
        assertError(() -> list(SCOPE.arn("service/prod/web")), "UnsupportedFeatureException");
    }

    @Test
    void tagRulesAreEnforcedAndNothingChangesWhenRefused() {
        String arn = cluster("rules", tag("keep", "1"));
        List<Tag> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add(tag("k" + i, "v"));
        }

        assertError(() -> tag(arn, tag("aws:owner", "x")), "InvalidParameterException");
        assertError(() -> tag(arn, tag("", "x")), "InvalidParameterException");
        assertError(() -> tag(arn, tag("long", "v".repeat(257))), "InvalidParameterException");
        assertError(() -> tag(arn, fifty.toArray(Tag[]::new)), "InvalidParameterException");
        assertError(() -> tags.tagResource(CALLER, TagResourceRequest.builder().resourceArn(arn).build()),
                "InvalidParameterException");
        assertError(() -> tags.untagResource(CALLER,
                UntagResourceRequest.builder().resourceArn(arn).tagKeys("aws:cloudformation:stack-name").build()),
                "InvalidParameterException");
        assertThat(list(arn)).containsExactly(tag("keep", "1"));
    }

    private String cluster(String name, Tag... clusterTags) {
        return clusters.createCluster(CALLER, CreateClusterRequest.builder().clusterName(name).tags(clusterTags).build())
                .cluster().clusterArn();
    }

    private void tag(String arn, Tag... added) {
        tags.tagResource(CALLER, TagResourceRequest.builder().resourceArn(arn).tags(added).build());
    }

    private List<Tag> list(String arn) {
        return tags.listTagsForResource(CALLER, ListTagsForResourceRequest.builder().resourceArn(arn).build()).tags();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static void assertError(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(EcsException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}
