package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Capacity provider strategies on RunTask and services: an instance belongs to the provider named
 * by its {@code ecs.capacity-provider} attribute.
 */
class CapacityProviderStrategyApiTest extends ApiTest {

    private static final String PROVIDER_ATTRIBUTE = "ecs.capacity-provider";

    private static void provider(String name) {
        ecs.createCapacityProvider(r -> r.name(name).autoScalingGroupProvider(g -> g.autoScalingGroupArn(
                "arn:aws:autoscaling:us-east-1:" + berth.accountId()
                        + ":autoScalingGroup:1:autoScalingGroupName/" + name)));
    }

    /** A cluster with the providers associated, no default strategy, and a small task definition. */
    private static String cluster(String cluster, String... providers) {
        for (String provider : providers) {
            provider(provider);
        }
        ecs.createCluster(r -> r.clusterName(cluster));
        ecs.putClusterCapacityProviders(r -> r.cluster(cluster).capacityProviders(providers)
                .defaultCapacityProviderStrategy(List.of()));
        return ecs.registerTaskDefinition(r -> r.family(cluster).containerDefinitions(ContainerDefinition.builder()
                .name("app").image("nginx:1").cpu(128).memory(128).essential(true).build()))
                .taskDefinition().taskDefinitionArn();
    }

    private static ContainerInstance instanceOf(String cluster, String provider) {
        return Instances.register(ecs, cluster, b -> {
            List<Attribute> attributes = new java.util.ArrayList<>(Instances.agentAttributes());
            attributes.add(Attribute.builder().name(PROVIDER_ATTRIBUTE).value(provider).build());
            b.attributes(attributes);
        });
    }

    private static CapacityProviderStrategyItem item(String provider, Integer base, Integer weight) {
        return CapacityProviderStrategyItem.builder().capacityProvider(provider).base(base).weight(weight).build();
    }

    private static Map<String, Long> byProvider(List<Task> tasks) {
        return tasks.stream().collect(Collectors.groupingBy(Task::capacityProviderName, Collectors.counting()));
    }

    private static Map<String, String> providerOfInstance(String cluster) {
        List<String> arns = ecs.listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns();
        return ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(arns)).containerInstances()
                .stream().collect(Collectors.toMap(ContainerInstance::containerInstanceArn,
                        i -> String.valueOf(i.capacityProviderName())));
    }

    @Test
    void anInstanceNamesItsProviderByAttribute() {
        cluster("cps-attr", "cps-attr-a", "cps-attr-b");
        ContainerInstance registered = instanceOf("cps-attr", "cps-attr-a");

        assertThat(registered.capacityProviderName()).isEqualTo("cps-attr-a");

        ecs.putAttributes(r -> r.cluster("cps-attr").attributes(Attribute.builder().name(PROVIDER_ATTRIBUTE)
                .value("cps-attr-b").targetId(registered.containerInstanceArn()).build()));

        assertThat(providerOfInstance("cps-attr")).containsEntry(registered.containerInstanceArn(), "cps-attr-b");
    }

    @Test
    void runTaskSplitsTheBaseThenByWeightAndPlacesOnlyOnEachProvidersInstances() {
        String definition = cluster("cps-run", "cps-run-a", "cps-run-b");
        instanceOf("cps-run", "cps-run-a");
        instanceOf("cps-run", "cps-run-b");

        RunTaskResponse run = ecs.runTask(r -> r.cluster("cps-run").taskDefinition(definition).count(5)
                .capacityProviderStrategy(item("cps-run-a", 1, 1), item("cps-run-b", null, 1)));

        assertThat(run.failures()).isEmpty();
        assertThat(byProvider(run.tasks())).containsExactlyInAnyOrderEntriesOf(Map.of("cps-run-a", 3L, "cps-run-b", 2L));
        Map<String, String> providers = providerOfInstance("cps-run");
        assertThat(run.tasks()).allSatisfy(task -> {
            assertThat(providers.get(task.containerInstanceArn())).isEqualTo(task.capacityProviderName());
            assertThat(task.launchTypeAsString()).isEqualTo("EC2");
        });
        List<Task> described = ecs.describeTasks(r -> r.cluster("cps-run")
                .tasks(run.tasks().stream().map(Task::taskArn).toList())).tasks();
        assertThat(byProvider(described)).isEqualTo(byProvider(run.tasks()));
    }

    @Test
    void withoutLaunchTypeOrStrategyRunTaskFollowsTheClusterDefault() {
        String definition = cluster("cps-default", "cps-default-a", "cps-default-b");
        instanceOf("cps-default", "cps-default-a");
        instanceOf("cps-default", "cps-default-b");
        ecs.putClusterCapacityProviders(r -> r.cluster("cps-default")
                .capacityProviders("cps-default-a", "cps-default-b")
                .defaultCapacityProviderStrategy(item("cps-default-b", null, 1)));

        List<Task> byDefault = ecs.runTask(r -> r.cluster("cps-default").taskDefinition(definition).count(2)).tasks();
        List<Task> byLaunchType = ecs.runTask(r -> r.cluster("cps-default").taskDefinition(definition)
                .launchType("EC2")).tasks();

        assertThat(byProvider(byDefault)).containsExactly(Map.entry("cps-default-b", 2L));
        assertThat(byLaunchType).singleElement().satisfies(t -> assertThat(t.capacityProviderName()).isNull());
    }

    @Test
    void aProviderWithoutInstancesOrRoomIsReportedAsAFailure() {
        String definition = cluster("cps-full", "cps-full-a", "cps-full-empty");
        ContainerInstance instance = instanceOf("cps-full", "cps-full-a");

        RunTaskResponse empty = ecs.runTask(r -> r.cluster("cps-full").taskDefinition(definition)
                .capacityProviderStrategy(item("cps-full-empty", null, 1)));
        String half = ecs.registerTaskDefinition(r -> r.family("cps-full-half").containerDefinitions(
                ContainerDefinition.builder().name("app").image("nginx:1").cpu(Instances.CPU / 2).memory(128)
                        .essential(true).build())).taskDefinition().taskDefinitionArn();
        RunTaskResponse tooBig = ecs.runTask(r -> r.cluster("cps-full").taskDefinition(half).count(3)
                .capacityProviderStrategy(item("cps-full-a", null, 1)));

        assertThat(empty.tasks()).isEmpty();
        assertThat(empty.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).endsWith(":capacity-provider/cps-full-empty");
            assertThat(f.reason()).isEqualTo("MISSING");
        });
        assertThat(tooBig.tasks()).hasSize(2);
        assertThat(tooBig.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).isEqualTo(instance.containerInstanceArn());
            assertThat(f.reason()).isEqualTo("RESOURCE:CPU");
        });
    }

    @Test
    void runTaskRefusesAnInvalidStrategy() {
        String definition = cluster("cps-bad", "cps-bad-a", "cps-bad-b");
        provider("cps-bad-unassociated");
        instanceOf("cps-bad", "cps-bad-a");
        Function<List<CapacityProviderStrategyItem>, Runnable> run = strategy -> () -> ecs.runTask(r -> r
                .cluster("cps-bad").taskDefinition(definition).capacityProviderStrategy(strategy));

        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("cps-bad").taskDefinition(definition).launchType("EC2")
                .capacityProviderStrategy(item("cps-bad-a", null, 1))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("launch type");
        assertThatThrownBy(() -> run.apply(List.of(item("cps-bad-unassociated", null, 1))).run())
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("not associated");
        assertThatThrownBy(() -> run.apply(List.of(item("cps-bad-a", 1, 1), item("cps-bad-b", 2, 1))).run())
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("base");
        assertThatThrownBy(() -> run.apply(List.of(item("cps-bad-a", null, 1001))).run())
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("weight");
        assertThatThrownBy(() -> run.apply(java.util.Collections.nCopies(21, item("cps-bad-a", null, 1))).run())
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("20");
        assertThat(ecs.listTasks(r -> r.cluster("cps-bad")).taskArns()).isEmpty();
    }

    @Test
    void aServiceOnProvidersKeepsItsSplitAndAnUpdateMovesIt() {
        String definition = cluster("cps-svc", "cps-svc-a", "cps-svc-b");
        instanceOf("cps-svc", "cps-svc-a");
        instanceOf("cps-svc", "cps-svc-b");

        Service created = ecs.createService(r -> r.cluster("cps-svc").serviceName("web").taskDefinition(definition)
                .desiredCount(4).capacityProviderStrategy(item("cps-svc-a", null, 1), item("cps-svc-b", null, 1)))
                .service();

        assertThat(created.launchType()).isNull();
        assertThat(created.capacityProviderStrategy()).extracting(CapacityProviderStrategyItem::capacityProvider)
                .containsExactly("cps-svc-a", "cps-svc-b");
        assertThat(created.deployments().get(0).capacityProviderStrategy()).hasSize(2);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(byProvider(serviceTasks("cps-svc", "web")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("cps-svc-a", 2L, "cps-svc-b", 2L)));

        Service updated = ecs.updateService(r -> r.cluster("cps-svc").service("web")
                .capacityProviderStrategy(item("cps-svc-b", null, 1))).service();

        assertThat(updated.deployments()).hasSize(2);
        assertThat(updated.deployments().get(0).capacityProviderStrategy())
                .extracting(CapacityProviderStrategyItem::capacityProvider).containsExactly("cps-svc-b");
        // The new deployment's tasks start on the one provider now named.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(serviceTasks("cps-svc", "web"))
                .filteredOn(t -> updated.deployments().get(0).id().equals(t.startedBy()))
                .hasSize(4).allSatisfy(t -> assertThat(t.capacityProviderName()).isEqualTo("cps-svc-b")));
    }

    @Test
    void createServiceRefusesALaunchTypeWithAStrategyAndUnassociatedProviders() {
        String definition = cluster("cps-svc-bad", "cps-svc-bad-a");
        provider("cps-svc-bad-other");

        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("cps-svc-bad").serviceName("web")
                .taskDefinition(definition).desiredCount(1).launchType("EC2")
                .capacityProviderStrategy(item("cps-svc-bad-a", null, 1))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("cps-svc-bad").serviceName("web")
                .taskDefinition(definition).desiredCount(1)
                .capacityProviderStrategy(item("cps-svc-bad-other", null, 1))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("not associated");
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("cps-svc-bad").serviceName("daemon")
                .taskDefinition(definition).schedulingStrategy("DAEMON")
                .capacityProviderStrategy(item("cps-svc-bad-a", null, 1))))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(ecs.listServices(r -> r.cluster("cps-svc-bad")).serviceArns()).isEmpty();
    }

    private static List<Task> serviceTasks(String cluster, String service) {
        List<String> arns = ecs.listTasks(r -> r.cluster(cluster).serviceName(service)).taskArns();
        return arns.isEmpty() ? List.of() : ecs.describeTasks(r -> r.cluster(cluster).tasks(arns)).tasks();
    }
}
