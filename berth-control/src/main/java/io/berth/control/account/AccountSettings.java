package io.berth.control.account;

import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import software.amazon.awssdk.services.ecs.model.Setting;

/** The account-setting kind. */
public final class AccountSettings {

    /** Stored settings, keyed by {@code <setting name>/<principal ARN>}. */
    public static final Kind<Setting> KIND = Kinds.json("account-setting", Setting.class);

    private AccountSettings() {
    }
}
