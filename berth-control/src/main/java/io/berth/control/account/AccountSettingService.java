package io.berth.control.account;

import io.berth.control.Caller;
import io.berth.control.Operations;
import io.berth.control.Paging;
import io.berth.control.Scope;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.DeleteAccountSettingRequest;
import software.amazon.awssdk.services.ecs.model.DeleteAccountSettingResponse;
import software.amazon.awssdk.services.ecs.model.ListAccountSettingsRequest;
import software.amazon.awssdk.services.ecs.model.ListAccountSettingsResponse;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingDefaultRequest;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingDefaultResponse;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingRequest;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingResponse;
import software.amazon.awssdk.services.ecs.model.Setting;
import software.amazon.awssdk.services.ecs.model.SettingType;

/**
 * PutAccountSetting, PutAccountSettingDefault, ListAccountSettings, DeleteAccountSetting. A setting
 * is made for one principal (a user, a role, or the root user, whose settings are the account's
 * defaults) in one region.
 */
public final class AccountSettingService {

    private static final Pattern PRINCIPAL = Pattern.compile("arn:([^:]+):iam::(\\d{12}):(root|user/.+|role/.+)");
    private static final int MAX_RESULTS = 10;

    private final State state;

    public AccountSettingService(State state) {
        this.state = state;
    }

    public void addTo(Operations operations) {
        operations.add("PutAccountSetting", PutAccountSettingRequest.class, this::putAccountSetting);
        operations.add("PutAccountSettingDefault", PutAccountSettingDefaultRequest.class, this::putAccountSettingDefault);
        operations.add("ListAccountSettings", ListAccountSettingsRequest.class, this::listAccountSettings);
        operations.add("DeleteAccountSetting", DeleteAccountSettingRequest.class, this::deleteAccountSetting);
    }

    public PutAccountSettingResponse putAccountSetting(Caller caller, PutAccountSettingRequest request) {
        String principal = principal(caller, request.principalArn());
        Setting setting = put(caller.scope(), request.nameAsString(), request.value(), principal);
        return PutAccountSettingResponse.builder().setting(setting).build();
    }

    public PutAccountSettingDefaultResponse putAccountSettingDefault(Caller caller,
            PutAccountSettingDefaultRequest request) {
        Setting setting = put(caller.scope(), request.nameAsString(), request.value(),
                AccountSettings.rootOf(caller.scope()));
        return PutAccountSettingDefaultResponse.builder().setting(setting).build();
    }

    public ListAccountSettingsResponse listAccountSettings(Caller caller, ListAccountSettingsRequest request) {
        String principal = principal(caller, request.principalArn());
        String name = request.nameAsString();
        if (name != null) {
            definition(name);
        }
        if (request.value() != null && name == null) {
            throw EcsException.invalidParameter("value can only be given together with name.");
        }
        Region region = state.region(caller.scope());
        List<Setting> settings = new ArrayList<>();
        for (String candidate : AccountSettings.DEFINITIONS.keySet()) {
            if (name != null && !name.equals(candidate)) {
                continue;
            }
            Setting setting = Boolean.TRUE.equals(request.effectiveSettings())
                    ? AccountSettings.effective(region, principal, candidate)
                    : region.get(AccountSettings.KIND, AccountSettings.key(candidate, principal)).orElse(null);
            if (setting != null && (request.value() == null || request.value().equals(setting.value()))) {
                settings.add(setting);
            }
        }
        // Pages resume after a setting name, so the list is in name order.
        settings.sort(java.util.Comparator.comparing(Setting::nameAsString));
        Paging.Page<Setting> page = Paging.page(settings, Setting::nameAsString, request.maxResults(),
                request.nextToken(), MAX_RESULTS, MAX_RESULTS);
        return ListAccountSettingsResponse.builder().settings(page.items()).nextToken(page.nextToken()).build();
    }

    public DeleteAccountSettingResponse deleteAccountSetting(Caller caller, DeleteAccountSettingRequest request) {
        String name = request.nameAsString();
        AccountSettings.Definition definition = definition(name);
        String principal = principal(caller, request.principalArn());
        if (definition.awsManaged()) {
            throw EcsException.invalidParameter(name + " is managed by AWS and cannot be changed.");
        }
        String key = AccountSettings.key(name, principal);
        Setting deleted = state.write(caller.scope(), tx -> {
            Setting existing = tx.get(AccountSettings.KIND, key).orElse(null);
            if (existing != null) {
                tx.delete(AccountSettings.KIND, key);
            }
            return existing;
        });
        // Deleting a setting that was not made leaves it unmade, as asked: answer without a value.
        Setting answer = deleted != null ? deleted
                : Setting.builder().name(name).principalArn(principal).type(SettingType.USER).build();
        return DeleteAccountSettingResponse.builder().setting(answer).build();
    }

    private Setting put(Scope scope, String name, String value, String principal) {
        AccountSettings.Definition definition = definition(name);
        if (definition.awsManaged()) {
            throw EcsException.invalidParameter(name + " is managed by AWS and cannot be changed.");
        }
        if (value == null || !definition.values().contains(value)) {
            throw EcsException.invalidParameter("The value of " + name + " must be one of "
                    + String.join(", ", definition.values().stream().sorted().toList()) + ".");
        }
        if (definition.rootOnly() && !principal.equals(AccountSettings.rootOf(scope))) {
            throw EcsException.invalidParameter(name + " can only be set for the root user of the account.");
        }
        Setting setting = Setting.builder().name(name).value(value).principalArn(principal).type(SettingType.USER)
                .build();
        state.write(scope, tx -> {
            tx.put(AccountSettings.KIND, AccountSettings.key(name, principal), setting);
            return null;
        });
        return setting;
    }

    private static AccountSettings.Definition definition(String name) {
        if (name == null || name.isEmpty()) {
            throw EcsException.invalidParameter("name is required.");
        }
        AccountSettings.Definition definition = AccountSettings.DEFINITIONS.get(name);
        if (definition == null) {
            throw EcsException.invalidParameter("Unknown account setting name: " + name + ". Valid names are "
                    + String.join(", ", AccountSettings.DEFINITIONS.keySet()) + ".");
        }
        return definition;
    }

    /** The principal a request is about: the one named, which the caller must be allowed to act for, or the caller. */
    private static String principal(Caller caller, String principalArn) {
        if (principalArn == null || principalArn.isEmpty()) {
            return caller.principalArn();
        }
        var matcher = PRINCIPAL.matcher(principalArn);
        if (!matcher.matches() || !matcher.group(1).equals(caller.scope().partition())) {
            throw EcsException.invalidParameter("principalArn must be the ARN of a user, a role or the root user: "
                    + principalArn);
        }
        if (!matcher.group(2).equals(caller.scope().account())) {
            throw EcsException.invalidParameter("principalArn " + principalArn + " is not of account "
                    + caller.scope().account() + ".");
        }
        requireAllowed(caller, principalArn);
        return principalArn;
    }

    /** Only the root user may change or read another principal's settings. */
    private static void requireAllowed(Caller caller, String principalArn) {
        if (!caller.principalArn().equals(principalArn)
                && !caller.principalArn().equals(AccountSettings.rootOf(caller.scope()))) {
            throw EcsException.accessDenied("Only the root user or " + principalArn
                    + " itself can use the settings of " + principalArn + ".");
        }
    }
}
