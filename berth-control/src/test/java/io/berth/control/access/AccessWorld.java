package io.berth.control.access;

import io.berth.control.Caller;
import io.berth.control.ControlPlane;
import io.berth.control.Scope;
import io.berth.control.capacity.CapacityProviders;
import io.berth.control.cluster.Clusters;
import io.berth.control.iam.Authorizer;
import io.berth.control.instance.ContainerInstances;
import io.berth.control.service.Services;
import io.berth.control.state.State;
import io.berth.control.store.MemoryStore;
import io.berth.control.task.Tasks;
import io.berth.control.taskdef.TaskDefinitions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.CapacityProvider;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * State for authorization tests: cluster {@code prod} with task definition {@code web:1}, instance
 * {@code i1}, task {@code t1}, service {@code api} and capacity provider {@code cp}, all tagged
 * {@code env=prod}; cluster {@code dev} tagged {@code env=dev}.
 */
final class AccessWorld implements AutoCloseable {

    static final Scope SCOPE = new Scope("aws", "123456789012", "us-east-1");
    static final Caller ROOT = new Caller(SCOPE, "arn:aws:iam::123456789012:root");
    static final Caller ALICE = new Caller(SCOPE, "arn:aws:iam::123456789012:user/alice");
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final RequestOrigin ORIGIN = new RequestOrigin("192.0.2.10", false);

    static final String PROD = arn("cluster/prod");
    static final String DEV = arn("cluster/dev");
    static final String WEB_1 = arn("task-definition/web:1");
    static final String I1 = arn("container-instance/prod/i1");
    static final String T1 = arn("task/prod/t1");
    static final String API = arn("service/prod/api");
    static final String CP = arn("capacity-provider/cp");

    final State state = new State(new MemoryStore(), ControlPlane.KINDS);
    private final ControlPlane controlPlane = new ControlPlane(state, Clock.fixed(NOW, ZoneOffset.UTC),
            new ControlPlane.Endpoints("http://localhost", "http://localhost"));

    AccessWorld() {
        List<Tag> prod = List.of(tag("env", "prod"));
        state.write(SCOPE, tx -> {
            tx.put(Clusters.KIND, "prod", Cluster.builder().clusterName("prod").clusterArn(PROD).status("ACTIVE")
                    .tags(prod).build());
            tx.put(Clusters.KIND, "dev", Cluster.builder().clusterName("dev").clusterArn(DEV).status("ACTIVE")
                    .tags(tag("env", "dev")).build());
            tx.put(TaskDefinitions.KIND, TaskDefinitions.key("web", 1), TaskDefinition.builder().family("web")
                    .revision(1).taskDefinitionArn(WEB_1).status("ACTIVE").build());
            tx.put(TaskDefinitions.TAGS_KIND, TaskDefinitions.key("web", 1), new TaskDefinitions.RevisionTags(prod));
            tx.put(ContainerInstances.KIND, ContainerInstances.key("prod", "i1"), ContainerInstance.builder()
                    .containerInstanceArn(I1).status("ACTIVE").tags(prod).build());
            tx.put(Tasks.KIND, Tasks.key("prod", "t1"), Task.builder().taskArn(T1).clusterArn(PROD).tags(prod).build());
            tx.put(Services.KIND, Services.key("prod", "api"), Service.builder().serviceName("api").serviceArn(API)
                    .clusterArn(PROD).status("ACTIVE").tags(prod).build());
            tx.put(CapacityProviders.KIND, "cp", CapacityProvider.builder().name("cp").capacityProviderArn(CP)
                    .status("ACTIVE").tags(prod).build());
            return null;
        });
    }

    AccessControl access(Authorizer authorizer) {
        return controlPlane.accessControl(authorizer);
    }

    static String arn(String resource) {
        return SCOPE.arn(resource);
    }

    static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    @Override
    public void close() {
        state.close();
    }
}
