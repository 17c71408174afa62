package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskSetsResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.ecs.model.TaskSetField;
import software.amazon.awssdk.services.ecs.model.TaskSetNotFoundException;

class TaskSetApiTest extends ApiTest {

    private static final Duration SCHEDULED = Duration.ofSeconds(15);

    /** A cluster with one instance and a service of the EXTERNAL controller; answers the family's revision ARN. */
    private static String externalService(String cluster, int desiredCount) {
        ecs.createCluster(r -> r.clusterName(cluster));
        Instances.register(ecs, cluster);
        String definition = ecs.registerTaskDefinition(r -> r.family(cluster).containerDefinitions(ContainerDefinition
                .builder().name("app").image("nginx:1").cpu(128).memory(128).essential(true).build()))
                .taskDefinition().taskDefinitionArn();
        ecs.createService(r -> r.cluster(cluster).serviceName("web").desiredCount(desiredCount)
                .deploymentController(c -> c.type("EXTERNAL")));
        return definition;
    }

    @Test
    void createTaskSetStartsItsShareOfTheService() {
        String definition = externalService("ts-create", 4);

        TaskSet created = ecs.createTaskSet(r -> r.cluster("ts-create").service("web").taskDefinition(definition)
                .externalId("blue").scale(s -> s.value(50.0).unit("PERCENT"))
                .tags(Tag.builder().key("color").value("blue").build())).taskSet();

        assertThat(created.id()).matches("ecs-svc/\\d{19}");
        assertThat(created.taskSetArn()).isEqualTo("arn:aws:ecs:us-east-1:" + berth.accountId()
                + ":task-set/ts-create/web/" + created.id());
        assertThat(created.status()).isEqualTo("ACTIVE");
        assertThat(created.externalId()).isEqualTo("blue");
        assertThat(created.computedDesiredCount()).isEqualTo(2);
        assertThat(created.taskDefinition()).isEqualTo(definition);
        await().atMost(SCHEDULED).until(() -> ecs.listTasks(r -> r.cluster("ts-create").serviceName("web"))
                .taskArns().size() == 2);
        assertThat(ecs.describeTasks(r -> r.cluster("ts-create").tasks(ecs.listTasks(l -> l.cluster("ts-create")
                .serviceName("web")).taskArns())).tasks()).allSatisfy(t -> assertThat(t.startedBy()).isEqualTo(created.id()));
    }

    @Test
    void theTaskSetsTakeTurnsAsPrimaryAndScale() {
        String definition = externalService("ts-primary", 2);
        TaskSet blue = ecs.createTaskSet(r -> r.cluster("ts-primary").service("web").taskDefinition(definition)).taskSet();
        TaskSet green = ecs.createTaskSet(r -> r.cluster("ts-primary").service("web").taskDefinition(definition)
                .scale(s -> s.value(0.0).unit("PERCENT"))).taskSet();

        TaskSet primary = ecs.updateServicePrimaryTaskSet(r -> r.cluster("ts-primary").service("web")
                .primaryTaskSet(blue.taskSetArn())).taskSet();
        TaskSet scaled = ecs.updateTaskSet(r -> r.cluster("ts-primary").service("web").taskSet(green.id())
                .scale(s -> s.value(100.0).unit("PERCENT"))).taskSet();
        ecs.updateServicePrimaryTaskSet(r -> r.cluster("ts-primary").service("web").primaryTaskSet(green.id()));
        DescribeTaskSetsResponse described = ecs.describeTaskSets(r -> r.cluster("ts-primary").service("web")
                .taskSets(blue.taskSetArn(), green.id(), "ecs-svc/1").include(TaskSetField.TAGS));
        Service service = ecs.describeServices(r -> r.cluster("ts-primary").services("web")).services().get(0);

        assertThat(primary.status()).isEqualTo("PRIMARY");
        assertThat(scaled.computedDesiredCount()).isEqualTo(2);
        assertThat(described.taskSets()).extracting(TaskSet::status).containsExactly("ACTIVE", "PRIMARY");
        assertThat(described.failures()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("MISSING"));
        assertThat(service.deploymentController().typeAsString()).isEqualTo("EXTERNAL");
        assertThat(service.taskDefinition()).isEqualTo(definition);
        assertThat(service.taskSets()).hasSize(2);
    }

    @Test
    void deleteTaskSetDrainsItAndNeedsForceForThePrimary() {
        String definition = externalService("ts-delete", 1);
        TaskSet taskSet = ecs.createTaskSet(r -> r.cluster("ts-delete").service("web").taskDefinition(definition))
                .taskSet();
        ecs.updateServicePrimaryTaskSet(r -> r.cluster("ts-delete").service("web").primaryTaskSet(taskSet.id()));

        assertThatThrownBy(() -> ecs.deleteTaskSet(r -> r.cluster("ts-delete").service("web").taskSet(taskSet.id())))
                .isInstanceOf(InvalidParameterException.class);
        TaskSet deleted = ecs.deleteTaskSet(r -> r.cluster("ts-delete").service("web").taskSet(taskSet.id())
                .force(true)).taskSet();

        assertThat(deleted.status()).isEqualTo("DRAINING");
        assertThat(deleted.computedDesiredCount()).isZero();
        assertThatThrownBy(() -> ecs.deleteTaskSet(r -> r.cluster("ts-delete").service("web").taskSet("ecs-svc/1")))
                .isInstanceOf(TaskSetNotFoundException.class);
    }

    @Test
    void taskSetsNeedAnExternallyControlledActiveService() {
        String definition = externalService("ts-errors", 1);
        ecs.createService(r -> r.cluster("ts-errors").serviceName("rolling").taskDefinition(definition).desiredCount(0));

        assertThatThrownBy(() -> ecs.createTaskSet(r -> r.cluster("ts-errors").service("rolling")
                .taskDefinition(definition))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createTaskSet(r -> r.cluster("ts-errors").service("absent")
                .taskDefinition(definition))).isInstanceOf(ServiceNotFoundException.class);
        assertThatThrownBy(() -> ecs.createTaskSet(r -> r.cluster("absent").service("web")
                .taskDefinition(definition))).isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.createTaskSet(r -> r.cluster("ts-errors").service("web")
                .taskDefinition("no-such-family"))).isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.createTaskSet(r -> r.cluster("ts-errors").service("web").taskDefinition(definition)
                .scale(s -> s.value(150.0).unit("PERCENT")))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.updateTaskSet(r -> r.cluster("ts-errors").service("web").taskSet("ecs-svc/1")
                .scale(s -> s.value(50.0).unit("PERCENT")))).isInstanceOf(TaskSetNotFoundException.class);
        assertThatThrownBy(() -> ecs.updateServicePrimaryTaskSet(r -> r.cluster("ts-errors").service("web")
                .primaryTaskSet("ecs-svc/1"))).isInstanceOf(TaskSetNotFoundException.class);
        assertThatThrownBy(() -> ecs.describeTaskSets(r -> r.cluster("ts-errors").service("rolling")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster("ts-errors").service("web")
                .taskDefinition(definition))).isInstanceOf(InvalidParameterException.class);
    }
}
