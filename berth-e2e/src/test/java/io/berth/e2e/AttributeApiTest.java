package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.AttributeLimitExceededException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListAttributesResponse;
import software.amazon.awssdk.services.ecs.model.TargetNotFoundException;
import software.amazon.awssdk.services.ecs.model.TargetType;

class AttributeApiTest extends ApiTest {

    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    private static String newCluster() {
        String name = "attributes-" + CLUSTERS.incrementAndGet();
        ecs.createCluster(r -> r.clusterName(name));
        return name;
    }

    private static Attribute on(ContainerInstance instance, String name, String value) {
        return Attribute.builder().name(name).value(value).targetId(instance.containerInstanceArn()).build();
    }

    private static String idOf(ContainerInstance instance) {
        String arn = instance.containerInstanceArn();
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    private static ContainerInstance describe(String cluster, ContainerInstance instance) {
        return ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(instance.containerInstanceArn()))
                .containerInstances().get(0);
    }

    @Test
    void putAttributesAddsToTheInstanceAndCanBeListed() {
        String cluster = newCluster();
        ContainerInstance instance = Instances.register(ecs, cluster);

        List<Attribute> put = ecs.putAttributes(r -> r.cluster(cluster).attributes(
                on(instance, "stack", "prod"),
                Attribute.builder().name("tier").value("web").targetType(TargetType.CONTAINER_INSTANCE)
                        .targetId(idOf(instance)).build())).attributes();

        assertThat(put).extracting(Attribute::name).containsExactly("stack", "tier");
        ContainerInstance described = describe(cluster, instance);
        assertThat(described.attributes()).extracting(Attribute::name, Attribute::value)
                .contains(tuple("stack", "prod"), tuple("tier", "web"));
        assertThat(described.version()).isEqualTo(2L);
        ListAttributesResponse listed = ecs.listAttributes(r -> r.cluster(cluster)
                .targetType(TargetType.CONTAINER_INSTANCE).attributeName("stack"));
        assertThat(listed.attributes()).singleElement().satisfies(a -> {
            assertThat(a.value()).isEqualTo("prod");
            assertThat(a.targetId()).isEqualTo(instance.containerInstanceArn());
            assertThat(a.targetType()).isEqualTo(TargetType.CONTAINER_INSTANCE);
        });
    }

    @Test
    void putAttributesReplacesAValueAndDeleteAttributesRemovesIt() {
        String cluster = newCluster();
        ContainerInstance instance = Instances.register(ecs, cluster);
        ecs.putAttributes(r -> r.cluster(cluster).attributes(on(instance, "stack", "blue")));

        ecs.putAttributes(r -> r.cluster(cluster).attributes(on(instance, "stack", "green")));
        assertThat(describe(cluster, instance).attributes()).filteredOn(a -> a.name().equals("stack"))
                .extracting(Attribute::value).containsExactly("green");

        ecs.deleteAttributes(r -> r.cluster(cluster).attributes(on(instance, "stack", null)));
        assertThat(describe(cluster, instance).attributes()).extracting(Attribute::name).doesNotContain("stack")
                .contains("ecs.os-type");
    }

    @Test
    void listAttributesFiltersByNameAndValue() {
        String cluster = newCluster();
        ContainerInstance blue = Instances.register(ecs, cluster);
        ContainerInstance green = Instances.register(ecs, cluster);
        ecs.putAttributes(r -> r.cluster(cluster).attributes(on(blue, "stack", "blue"), on(green, "stack", "green")));

        ListAttributesResponse byValue = ecs.listAttributes(r -> r.cluster(cluster)
                .targetType(TargetType.CONTAINER_INSTANCE).attributeName("stack").attributeValue("green"));
        ListAttributesResponse all = ecs.listAttributes(r -> r.cluster(cluster).targetType(TargetType.CONTAINER_INSTANCE));

        assertThat(byValue.attributes()).extracting(Attribute::targetId).containsExactly(green.containerInstanceArn());
        assertThat(all.attributes()).extracting(Attribute::name).contains("stack", "ecs.os-type", "ecs.capability.external");
    }

    @Test
    void listAttributesPages() {
        String cluster = newCluster();
        Instances.register(ecs, cluster);
        Instances.register(ecs, cluster);

        ListAttributesResponse first = ecs.listAttributes(r -> r.cluster(cluster)
                .targetType(TargetType.CONTAINER_INSTANCE).attributeName("ecs.os-type").maxResults(1));
        ListAttributesResponse second = ecs.listAttributes(r -> r.cluster(cluster)
                .targetType(TargetType.CONTAINER_INSTANCE).attributeName("ecs.os-type").maxResults(1)
                .nextToken(first.nextToken()));

        assertThat(first.attributes()).hasSize(1);
        assertThat(first.nextToken()).isNotNull();
        assertThat(second.attributes()).hasSize(1);
        assertThat(second.attributes().get(0).targetId()).isNotEqualTo(first.attributes().get(0).targetId());
        assertThat(second.nextToken()).isNull();
    }

    @Test
    void attributesCanFilterTheInstanceList() {
        String cluster = newCluster();
        ContainerInstance gpu = Instances.register(ecs, cluster);
        Instances.register(ecs, cluster);
        ecs.putAttributes(r -> r.cluster(cluster).attributes(on(gpu, "accelerator", "nvidia")));

        assertThat(ecs.listContainerInstances(r -> r.cluster(cluster).filter("attribute:accelerator exists"))
                .containerInstanceArns()).containsExactly(gpu.containerInstanceArn());
    }

    @Test
    void unknownTargetsAreNotFound() {
        String cluster = newCluster();
        ContainerInstance instance = Instances.register(ecs, cluster);
        ecs.deregisterContainerInstance(r -> r.cluster(cluster).containerInstance(instance.containerInstanceArn()));

        assertThatThrownBy(() -> ecs.putAttributes(r -> r.cluster(cluster).attributes(
                Attribute.builder().name("a").value("b").targetType(TargetType.CONTAINER_INSTANCE)
                        .targetId("0123456789abcdef0123456789abcdef").build())))
                .isInstanceOf(TargetNotFoundException.class);
        assertThatThrownBy(() -> ecs.putAttributes(r -> r.cluster(cluster).attributes(on(instance, "a", "b"))))
                .isInstanceOf(TargetNotFoundException.class);
        assertThatThrownBy(() -> ecs.deleteAttributes(r -> r.cluster(cluster).attributes(on(instance, "a", null))))
                .isInstanceOf(TargetNotFoundException.class);
    }

    @Test
    void badAttributesAreInvalidParameters() {
        String cluster = newCluster();
        ContainerInstance instance = Instances.register(ecs, cluster);

        assertThatThrownBy(() -> ecs.putAttributes(r -> r.cluster(cluster).attributes(on(instance, "bad name", "x"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.putAttributes(r -> r.cluster(cluster).attributes(on(instance, "n", " padded"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.putAttributes(r -> r.cluster(cluster).attributes(on(instance, "x".repeat(129), "v"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.putAttributes(r -> r.cluster(cluster).attributes(
                Attribute.builder().name("short-id").value("v").targetId(idOf(instance)).build())))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.putAttributes(r -> r.cluster(cluster).attributes(
                Attribute.builder().name("no-target").value("v").build())))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.putAttributes(r -> r.cluster(cluster).attributes(attributes(instance, 11))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.putAttributes(r -> r.cluster("no-such-cluster").attributes(on(instance, "a", "b"))))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void anInstanceHoldsAtMostTenCustomAttributes() {
        String cluster = newCluster();
        ContainerInstance instance = Instances.register(ecs, cluster);
        ecs.putAttributes(r -> r.cluster(cluster).attributes(attributes(instance, 10)));

        assertThatThrownBy(() -> ecs.putAttributes(r -> r.cluster(cluster).attributes(on(instance, "eleventh", "v"))))
                .isInstanceOf(AttributeLimitExceededException.class);
        ecs.putAttributes(r -> r.cluster(cluster).attributes(on(instance, "custom-0", "replaced")));
        assertThat(describe(cluster, instance).attributes()).extracting(Attribute::name).doesNotContain("eleventh");
    }

    @Test
    void badListsAreRefused() {
        String cluster = newCluster();

        assertThatThrownBy(() -> ecs.listAttributes(r -> r.cluster(cluster)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listAttributes(r -> r.cluster(cluster).targetType(TargetType.CONTAINER_INSTANCE)
                .attributeValue("v"))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listAttributes(r -> r.cluster("no-such-cluster")
                .targetType(TargetType.CONTAINER_INSTANCE))).isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.listAttributes(r -> r.cluster(cluster).targetType(TargetType.CONTAINER_INSTANCE)
                .maxResults(0))).isInstanceOf(InvalidParameterException.class);
    }

    private static List<Attribute> attributes(ContainerInstance instance, int count) {
        List<Attribute> attributes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            attributes.add(on(instance, "custom-" + i, "v" + i));
        }
        return attributes;
    }
}
