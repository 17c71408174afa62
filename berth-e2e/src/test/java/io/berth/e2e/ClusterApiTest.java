package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListClustersResponse;
import software.amazon.awssdk.services.ecs.model.Tag;

class ClusterApiTest extends ApiTest {

    @Test
    void createClusterIsIdempotentOnName() {
        Cluster first = ecs.createCluster(r -> r.clusterName("idem").tags(Tag.builder().key("team").value("a").build()))
                .cluster();
        Cluster second = ecs.createCluster(r -> r.clusterName("idem")).cluster();

        assertThat(first.clusterArn()).isEqualTo("arn:aws:ecs:us-east-1:" + berth.accountId() + ":cluster/idem");
        assertThat(second.clusterArn()).isEqualTo(first.clusterArn());
        assertThat(first.status()).isEqualTo("ACTIVE");
        assertThat(first.tags()).containsExactly(Tag.builder().key("team").value("a").build());
    }

    @Test
    void createClusterWithoutNameCreatesDefault() {
        assertThat(ecs.createCluster(r -> { }).cluster().clusterName()).isEqualTo("default");
    }

    @Test
    void describeClustersReportsMissingOnesAsFailures() {
        ecs.createCluster(r -> r.clusterName("described"));

        DescribeClustersResponse response = ecs.describeClusters(r -> r.clusters("described", "absent"));

        assertThat(response.clusters()).extracting(Cluster::clusterName).containsExactly("described");
        assertThat(response.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).endsWith(":cluster/absent");
            assertThat(f.reason()).isEqualTo("MISSING");
        });
    }

    @Test
    void describeClustersShowsTagsSettingsAndStatisticsOnlyWhenIncluded() {
        ecs.createCluster(r -> r.clusterName("included").tags(Tag.builder().key("k").value("v").build()));

        Cluster plain = ecs.describeClusters(r -> r.clusters("included")).clusters().get(0);
        Cluster full = ecs.describeClusters(r -> r.clusters("included")
                .include(ClusterField.TAGS, ClusterField.SETTINGS, ClusterField.STATISTICS)).clusters().get(0);

        assertThat(plain.hasTags()).isFalse();
        assertThat(plain.hasStatistics()).isFalse();
        assertThat(full.tags()).hasSize(1);
        assertThat(full.settings()).extracting(ClusterSetting::value).containsExactly("disabled");
        assertThat(full.statistics()).anySatisfy(s -> assertThat(s.name()).isEqualTo("runningEC2TasksCount"));
    }

    @Test
    void listClustersPagesWithTokens() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            ecs.createCluster(r -> r.clusterName("page-" + n));
        }
        ListClustersResponse first = ecs.listClusters(r -> r.maxResults(2));
        ListClustersResponse second = ecs.listClusters(r -> r.maxResults(2).nextToken(first.nextToken()));

        assertThat(first.clusterArns()).hasSize(2);
        assertThat(first.nextToken()).isNotNull();
        assertThat(second.clusterArns()).hasSize(2).doesNotContainAnyElementsOf(first.clusterArns());
        assertThat(ecs.listClustersPaginator(r -> r.maxResults(1)).clusterArns())
                .containsAll(first.clusterArns()).containsAll(second.clusterArns());
    }

    @Test
    void updateClusterSettingsChangesContainerInsights() {
        ecs.createCluster(r -> r.clusterName("insights"));

        Cluster updated = ecs.updateClusterSettings(r -> r.cluster("insights")
                .settings(ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value("enabled").build()))
                .cluster();

        assertThat(updated.settings()).extracting(ClusterSetting::value).containsExactly("enabled");
    }

    @Test
    void deleteClusterLeavesItInactive() {
        ecs.createCluster(r -> r.clusterName("doomed"));

        Cluster deleted = ecs.deleteCluster(r -> r.cluster("doomed")).cluster();

        assertThat(deleted.status()).isEqualTo("INACTIVE");
        assertThat(ecs.describeClusters(r -> r.clusters("doomed")).clusters().get(0).status()).isEqualTo("INACTIVE");
        assertThat(ecs.listClusters().clusterArns()).doesNotContain(deleted.clusterArn());
        assertThatThrownBy(() -> ecs.deleteCluster(r -> r.cluster("doomed")))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void badClusterInputIsRefused() {
        assertThatThrownBy(() -> ecs.createCluster(r -> r.clusterName("bad name!")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.updateClusterSettings(r -> r.cluster("absent")
                .settings(ClusterSetting.builder().name("containerInsights").value("enabled").build())))
                .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.createCluster(r -> r.clusterName("tagged")
                .tags(Tag.builder().key("aws:reserved").value("x").build())))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listClusters(r -> r.maxResults(101)))
                .isInstanceOf(InvalidParameterException.class);
    }
}
