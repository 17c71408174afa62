package io.berth.control.account;

import io.berth.control.Scope;
import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.state.Region;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Setting;
import software.amazon.awssdk.services.ecs.model.SettingType;

/**
 * The account-setting kind, the settings ECS knows with their allowed values and AWS defaults, and
 * how the setting in effect for a principal is found: the principal's own, else the account
 * default (the root's), else the AWS default.
 */
public final class AccountSettings {

    /** Stored settings, keyed by {@link #key(String, String)}. */
    public static final Kind<Setting> KIND = Kinds.json("account-setting", Setting.class);

    /** What a setting may hold, what it holds when nobody set it, and who may change it. */
    record Definition(Set<String> values, String awsDefault, boolean rootOnly, boolean awsManaged) {
    }

    private static final Set<String> ON_OFF = Set.of("enabled", "disabled");

    /** Every account setting of ECS, in the order ECS lists them. */
    static final Map<String, Definition> DEFINITIONS = definitions();

    private AccountSettings() {
    }

    private static Map<String, Definition> definitions() {
        Map<String, Definition> all = new LinkedHashMap<>();
        all.put("serviceLongArnFormat", new Definition(ON_OFF, "enabled", false, false));
        all.put("taskLongArnFormat", new Definition(ON_OFF, "enabled", false, false));
        all.put("containerInstanceLongArnFormat", new Definition(ON_OFF, "enabled", false, false));
        all.put("awsvpcTrunking", new Definition(ON_OFF, "disabled", false, false));
        all.put("containerInsights", new Definition(Set.of("enabled", "disabled", "enhanced"), "disabled", false, false));
        all.put("dualStackIPv6", new Definition(ON_OFF, "disabled", false, false));
        all.put("fargateFIPSMode", new Definition(ON_OFF, "disabled", true, false));
        all.put("tagResourceAuthorization", new Definition(Set.of("on", "off"), "on", false, false));
        all.put("fargateTaskRetirementWaitPeriod", new Definition(Set.of("0", "7", "14"), "7", true, false));
        all.put("guardDutyActivate", new Definition(ON_OFF, "disabled", true, true));
        all.put("defaultLogDriverMode", new Definition(Set.of("blocking", "non-blocking"), "non-blocking", false, false));
        all.put("fargateEventWindows", new Definition(ON_OFF, "disabled", false, false));
        return java.util.Collections.unmodifiableMap(all);
    }

    /** The id of a setting made for one principal. */
    static String key(String name, String principalArn) {
        return name + "/" + principalArn;
    }

    /** The root user of the scope's account: its settings are the account's defaults. */
    public static String rootOf(Scope scope) {
        return "arn:" + scope.partition() + ":iam::" + scope.account() + ":root";
    }

    /** The value of a setting in effect for a principal, or empty for a name ECS does not know. */
    public static Optional<String> effectiveValue(Region region, String principalArn, String name) {
        return Optional.ofNullable(effective(region, principalArn, name)).map(Setting::value);
    }

    /** The setting in effect for a principal: its own, the account default, or the AWS default. */
    static Setting effective(Region region, String principalArn, String name) {
        Definition definition = DEFINITIONS.get(name);
        if (definition == null) {
            return null;
        }
        String root = rootOf(region.scope());
        return region.get(KIND, key(name, principalArn))
                .or(() -> region.get(KIND, key(name, root)))
                .orElseGet(() -> Setting.builder().name(name).value(definition.awsDefault()).principalArn(root)
                        .type(definition.awsManaged() ? SettingType.AWS_MANAGED : SettingType.USER).build());
    }
}
