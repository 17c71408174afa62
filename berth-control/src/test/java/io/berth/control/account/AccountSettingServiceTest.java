package io.berth.control.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Caller;
import io.berth.control.ControlPlane;
import io.berth.control.Scope;
import io.berth.control.state.State;
import io.berth.control.store.MemoryStore;
import io.berth.model.EcsException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DeleteAccountSettingRequest;
import software.amazon.awssdk.services.ecs.model.ListAccountSettingsRequest;
import software.amazon.awssdk.services.ecs.model.ListAccountSettingsResponse;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingDefaultRequest;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingRequest;
import software.amazon.awssdk.services.ecs.model.Setting;

class AccountSettingServiceTest {

    private static final Scope SCOPE = new Scope("aws", "123456789012", "us-east-1");
    private static final String ROOT = "arn:aws:iam::123456789012:root";
    private static final String ALICE = "arn:aws:iam::123456789012:user/alice";
    private static final Caller AS_ROOT = new Caller(SCOPE, ROOT);
    private static final Caller AS_ALICE = new Caller(SCOPE, ALICE);

    private final State state = new State(new MemoryStore(), ControlPlane.KINDS);
    private final AccountSettingService settings = new AccountSettingService(state);

    @AfterEach
    void close() {
        state.close();
    }

    @Test
    void effectiveSettingsShowTheAwsDefaultsOfEverySetting() {
        List<Setting> effective = list(AS_ROOT, r -> r.effectiveSettings(true).maxResults(10));
        List<Setting> rest = list(AS_ROOT, r -> r.effectiveSettings(true).nextToken(
                settings.listAccountSettings(AS_ROOT, ListAccountSettingsRequest.builder().effectiveSettings(true)
                        .build()).nextToken()));

        assertThat(effective).hasSize(10);
        assertThat(rest).hasSize(2);
        List<Setting> all = new java.util.ArrayList<>(effective);
        all.addAll(rest);
        assertThat(all).extracting(Setting::nameAsString).containsExactlyInAnyOrderElementsOf(
                AccountSettings.DEFINITIONS.keySet());
        assertThat(value(all, "serviceLongArnFormat")).isEqualTo("enabled");
        assertThat(value(all, "taskLongArnFormat")).isEqualTo("enabled");
        assertThat(value(all, "containerInstanceLongArnFormat")).isEqualTo("enabled");
        assertThat(value(all, "containerInsights")).isEqualTo("disabled");
        assertThat(value(all, "fargateTaskRetirementWaitPeriod")).isEqualTo("7");
        assertThat(value(all, "tagResourceAuthorization")).isEqualTo("on");
        assertThat(all).allSatisfy(s -> assertThat(s.principalArn()).isEqualTo(ROOT));
        assertThat(all).filteredOn(s -> s.nameAsString().equals("guardDutyActivate"))
                .singleElement().satisfies(s -> assertThat(s.typeAsString()).isEqualTo("aws_managed"));
    }

    @Test
    void aPrincipalsOwnSettingOverridesTheAccountDefaultWhichOverridesTheAwsDefault() {
        settings.putAccountSettingDefault(AS_ROOT, PutAccountSettingDefaultRequest.builder()
                .name("containerInsights").value("enhanced").build());
        assertThat(effective(AS_ALICE, "containerInsights").value()).isEqualTo("enhanced");
        assertThat(effective(AS_ALICE, "containerInsights").principalArn()).isEqualTo(ROOT);

        Setting own = settings.putAccountSetting(AS_ALICE, PutAccountSettingRequest.builder()
                .name("containerInsights").value("disabled").build()).setting();

        assertThat(own.principalArn()).isEqualTo(ALICE);
        assertThat(own.typeAsString()).isEqualTo("user");
        assertThat(effective(AS_ALICE, "containerInsights").value()).isEqualTo("disabled");
        assertThat(effective(AS_ROOT, "containerInsights").value()).isEqualTo("enhanced");
    }

    @Test
    void listingWithoutEffectiveSettingsShowsOnlyWhatThePrincipalSet() {
        settings.putAccountSetting(AS_ROOT, PutAccountSettingRequest.builder()
                .name("awsvpcTrunking").value("enabled").principalArn(ALICE).build());

        assertThat(list(AS_ALICE, r -> r)).extracting(Setting::nameAsString).containsExactly("awsvpcTrunking");
        assertThat(list(AS_ROOT, r -> r.principalArn(ALICE))).hasSize(1);
        assertThat(list(AS_ROOT, r -> r)).isEmpty();
    }

    @Test
    void listFiltersByNameAndValue() {
        settings.putAccountSettingDefault(AS_ROOT, PutAccountSettingDefaultRequest.builder()
                .name("taskLongArnFormat").value("disabled").build());

        assertThat(list(AS_ROOT, r -> r.name("taskLongArnFormat").value("disabled").effectiveSettings(true)))
                .hasSize(1);
        assertThat(list(AS_ROOT, r -> r.name("taskLongArnFormat").value("enabled").effectiveSettings(true)))
                .isEmpty();
        assertError(() -> list(AS_ROOT, r -> r.value("enabled")), "InvalidParameterException");
        assertError(() -> list(AS_ROOT, r -> r.name("noSuchSetting")), "InvalidParameterException");
        assertError(() -> list(AS_ROOT, r -> r.maxResults(11)), "InvalidParameterException");
    }

    @Test
    void deleteAccountSettingFallsBackToTheAccountDefault() {
        settings.putAccountSetting(AS_ALICE, PutAccountSettingRequest.builder()
                .name("defaultLogDriverMode").value("blocking").build());

        Setting deleted = settings.deleteAccountSetting(AS_ALICE, DeleteAccountSettingRequest.builder()
                .name("defaultLogDriverMode").build()).setting();

        assertThat(deleted.value()).isEqualTo("blocking");
        assertThat(effective(AS_ALICE, "defaultLogDriverMode").value()).isEqualTo("non-blocking");
        assertThat(list(AS_ALICE, r -> r)).isEmpty();
    }

    @Test
    void invalidNamesValuesAndPrincipalsAreRefused() {
        assertError(() -> put(AS_ROOT, "noSuchSetting", "enabled", null), "InvalidParameterException");
        assertError(() -> put(AS_ROOT, "containerInsights", "on", null), "InvalidParameterException");
        assertError(() -> put(AS_ROOT, "tagResourceAuthorization", "enabled", null), "InvalidParameterException");
        assertError(() -> put(AS_ROOT, "fargateTaskRetirementWaitPeriod", "3", null), "InvalidParameterException");
        assertError(() -> put(AS_ROOT, "guardDutyActivate", "enabled", null), "InvalidParameterException");
        assertError(() -> put(AS_ROOT, "fargateTaskRetirementWaitPeriod", "14", ALICE), "InvalidParameterException");
        assertError(() -> put(AS_ROOT, "awsvpcTrunking", "enabled", "alice"), "InvalidParameterException");
        assertError(() -> put(AS_ROOT, "awsvpcTrunking", "enabled", "arn:aws:iam::999999999999:root"),
                "InvalidParameterException");
        assertError(() -> put(AS_ALICE, "awsvpcTrunking", "enabled", "arn:aws:iam::123456789012:user/bob"),
                "AccessDeniedException");
        assertThat(list(AS_ROOT, r -> r)).isEmpty();
        assertThat(put(AS_ROOT, "fargateTaskRetirementWaitPeriod", "14", null).value()).isEqualTo("14");
    }

    private Setting put(Caller caller, String name, String value, String principalArn) {
        return settings.putAccountSetting(caller, PutAccountSettingRequest.builder()
                .name(name).value(value).principalArn(principalArn).build()).setting();
    }

    private List<Setting> list(Caller caller, UnaryOperator<ListAccountSettingsRequest.Builder> request) {
        ListAccountSettingsResponse response = settings.listAccountSettings(caller,
                request.apply(ListAccountSettingsRequest.builder()).build());
        return response.settings();
    }

    private Setting effective(Caller caller, String name) {
        return list(caller, r -> r.name(name).effectiveSettings(true)).get(0);
    }

    private static String value(List<Setting> settings, String name) {
        return settings.stream().filter(s -> s.nameAsString().equals(name)).findFirst().orElseThrow().value();
    }

    private static void assertError(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(EcsException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}
