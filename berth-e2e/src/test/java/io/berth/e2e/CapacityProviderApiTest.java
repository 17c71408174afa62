package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.CapacityProvider;
import software.amazon.awssdk.services.ecs.model.CapacityProviderField;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.DescribeCapacityProvidersResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

class CapacityProviderApiTest extends ApiTest {

    private static String group(String name) {
        return "arn:aws:autoscaling:us-east-1:" + berth.accountId() + ":autoScalingGroup:1:autoScalingGroupName/" + name;
    }

    private static CapacityProvider create(String name) {
        return ecs.createCapacityProvider(r -> r.name(name).autoScalingGroupProvider(g -> g.autoScalingGroupArn(group(name)))
                .tags(Tag.builder().key("pool").value(name).build())).capacityProvider();
    }

    @Test
    void createCapacityProviderRecordsTheGroupWithDefaults() {
        CapacityProvider created = create("cp-create");

        assertThat(created.capacityProviderArn()).isEqualTo("arn:aws:ecs:us-east-1:" + berth.accountId()
                + ":capacity-provider/cp-create");
        assertThat(created.statusAsString()).isEqualTo("ACTIVE");
        assertThat(created.autoScalingGroupProvider().autoScalingGroupArn()).isEqualTo(group("cp-create"));
        assertThat(created.autoScalingGroupProvider().managedScaling().statusAsString()).isEqualTo("DISABLED");
        assertThat(created.autoScalingGroupProvider().managedTerminationProtectionAsString()).isEqualTo("DISABLED");
        assertThat(created.tags()).extracting(Tag::key).containsExactly("pool");
    }

    @Test
    void createCapacityProviderRefusesBadNamesDuplicatesAndManagedScaling() {
        create("cp-dup");

        assertThatThrownBy(() -> create("cp-dup")).isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> create("ecs-pool")).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> create("bad name")).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createCapacityProvider(r -> r.name("cp-no-group")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createCapacityProvider(r -> r.name("cp-same-group")
                .autoScalingGroupProvider(g -> g.autoScalingGroupArn(group("cp-dup")))))
                .isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.createCapacityProvider(r -> r.name("cp-scaled")
                .autoScalingGroupProvider(g -> g.autoScalingGroupArn(group("cp-scaled"))
                        .managedScaling(m -> m.status("ENABLED").targetCapacity(80)))))
                .isInstanceOf(UnsupportedFeatureException.class);
    }

    @Test
    void describeCapacityProvidersNamesMissingOnesAndListsBuiltInOnes() {
        create("cp-describe");

        DescribeCapacityProvidersResponse named = ecs.describeCapacityProviders(r -> r
                .capacityProviders("cp-describe", "cp-absent").include(CapacityProviderField.TAGS));
        DescribeCapacityProvidersResponse all = ecs.describeCapacityProviders(r -> r.maxResults(10));

        assertThat(named.capacityProviders()).singleElement().satisfies(p -> assertThat(p.tags()).hasSize(1));
        assertThat(named.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).endsWith(":capacity-provider/cp-absent");
            assertThat(f.reason()).isEqualTo("MISSING");
        });
        assertThat(all.capacityProviders()).extracting(CapacityProvider::name).contains("FARGATE", "FARGATE_SPOT");
        assertThat(ecs.describeCapacityProviders(r -> r.capacityProviders("cp-describe")).capacityProviders().get(0)
                .hasTags()).isFalse();
        assertThatThrownBy(() -> ecs.describeCapacityProviders(r -> r.maxResults(11)))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void updateCapacityProviderChangesTheGroupSettings() {
        create("cp-update");

        CapacityProvider updated = ecs.updateCapacityProvider(r -> r.name("cp-update")
                .autoScalingGroupProvider(g -> g.managedDraining("ENABLED"))).capacityProvider();

        assertThat(updated.autoScalingGroupProvider().managedDrainingAsString()).isEqualTo("ENABLED");
        assertThat(updated.updateStatusAsString()).isEqualTo("UPDATE_COMPLETE");
        assertThatThrownBy(() -> ecs.updateCapacityProvider(r -> r.name("cp-absent")
                .autoScalingGroupProvider(g -> g.managedDraining("ENABLED"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.updateCapacityProvider(r -> r.name("cp-update")
                .autoScalingGroupProvider(g -> g.managedTerminationProtection("ENABLED"))))
                .isInstanceOf(UnsupportedFeatureException.class);
    }

    @Test
    void clustersAcceptCreatedProvidersAndDeletionWaitsForThemToLetGo() {
        create("cp-cluster");
        ecs.createCluster(r -> r.clusterName("cp-cluster"));

        Cluster cluster = ecs.putClusterCapacityProviders(r -> r.cluster("cp-cluster")
                .capacityProviders("cp-cluster", "FARGATE")
                .defaultCapacityProviderStrategy(CapacityProviderStrategyItem.builder().capacityProvider("cp-cluster")
                        .weight(1).base(1).build())).cluster();
        assertThat(cluster.capacityProviders()).containsExactly("cp-cluster", "FARGATE");
        assertThatThrownBy(() -> ecs.deleteCapacityProvider(r -> r.capacityProvider("cp-cluster")))
                .isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.putClusterCapacityProviders(r -> r.cluster("cp-cluster")
                .capacityProviders("cp-absent").defaultCapacityProviderStrategy(java.util.List.of())))
                .isInstanceOf(InvalidParameterException.class);

        ecs.putClusterCapacityProviders(r -> r.cluster("cp-cluster").capacityProviders(java.util.List.of())
                .defaultCapacityProviderStrategy(java.util.List.of()));
        CapacityProvider deleted = ecs.deleteCapacityProvider(r -> r.capacityProvider("cp-cluster")).capacityProvider();

        assertThat(deleted.statusAsString()).isEqualTo("INACTIVE");
        assertThat(ecs.describeCapacityProviders(r -> r.capacityProviders("cp-cluster")).capacityProviders().get(0)
                .statusAsString()).isEqualTo("INACTIVE");
        assertThatThrownBy(() -> ecs.deleteCapacityProvider(r -> r.capacityProvider("cp-cluster")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.deleteCapacityProvider(r -> r.capacityProvider("FARGATE")))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(create("cp-cluster").statusAsString()).isEqualTo("ACTIVE");
    }
}
