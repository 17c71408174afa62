package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Setting;
import software.amazon.awssdk.services.ecs.model.SettingName;

class AccountSettingApiTest extends ApiTest {

    @Test
    void effectiveSettingsPageThroughEverySettingWithItsDefault() {
        List<Setting> all = ecs.listAccountSettingsPaginator(r -> r.effectiveSettings(true).maxResults(5))
                .settings().stream().toList();

        assertThat(all).extracting(Setting::nameAsString).contains("serviceLongArnFormat", "taskLongArnFormat",
                "containerInstanceLongArnFormat", "awsvpcTrunking", "containerInsights", "dualStackIPv6",
                "fargateFIPSMode", "tagResourceAuthorization", "fargateTaskRetirementWaitPeriod",
                "guardDutyActivate", "defaultLogDriverMode", "fargateEventWindows");
        assertThat(all).filteredOn(s -> s.nameAsString().endsWith("LongArnFormat"))
                .extracting(Setting::value).containsOnly("enabled");
    }

    @Test
    void theAccountDefaultIsTheRootUsersSettingAndDeletingItRestoresTheAwsDefault() {
        String root = "arn:aws:iam::" + berth.accountId() + ":root";
        Setting made = ecs.putAccountSettingDefault(r -> r.name(SettingName.AWSVPC_TRUNKING).value("enabled"))
                .setting();

        assertThat(made.principalArn()).isEqualTo(root);
        assertThat(trunking()).isEqualTo("enabled");

        ecs.deleteAccountSetting(r -> r.name(SettingName.AWSVPC_TRUNKING));

        assertThat(trunking()).isEqualTo("disabled");
    }

    private static String trunking() {
        return ecs.listAccountSettings(r -> r.name(SettingName.AWSVPC_TRUNKING).effectiveSettings(true))
                .settings().get(0).value();
    }

    @Test
    void newClustersTakeContainerInsightsFromTheAccountSetting() {
        ecs.putAccountSetting(r -> r.name(SettingName.CONTAINER_INSIGHTS).value("enhanced"));
        try {
            Cluster cluster = ecs.createCluster(r -> r.clusterName("settings-insights")).cluster();
            Cluster explicit = ecs.createCluster(r -> r.clusterName("settings-insights-off")
                    .settings(ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value("disabled")
                            .build())).cluster();

            assertThat(cluster.settings()).extracting(ClusterSetting::value).containsExactly("enhanced");
            assertThat(explicit.settings()).extracting(ClusterSetting::value).containsExactly("disabled");
        } finally {
            ecs.deleteAccountSetting(r -> r.name(SettingName.CONTAINER_INSIGHTS));
        }
    }

    @Test
    void unknownValuesAreRefused() {
        assertThatThrownBy(() -> ecs.putAccountSetting(r -> r.name(SettingName.CONTAINER_INSIGHTS).value("maybe")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.putAccountSetting(r -> r.name("notASetting").value("enabled")))
                .isInstanceOf(InvalidParameterException.class);
    }
}
