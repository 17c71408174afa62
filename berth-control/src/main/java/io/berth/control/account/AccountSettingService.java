package io.berth.control.account;

import io.berth.control.Operations;
import io.berth.control.state.State;

/** PutAccountSetting, PutAccountSettingDefault, ListAccountSettings, DeleteAccountSetting. */
public final class AccountSettingService {

    private final State state;

    public AccountSettingService(State state) {
        this.state = state;
    }

    public void addTo(Operations operations) {
    }
}
