package io.berth.control.placement;

import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;

/** The stored claims of tasks that hold resources, keyed like their tasks: {@code <cluster>/<task id>}. */
public final class Claims {

    public static final Kind<Claim> KIND = Kinds.json("task-claim", Claim.class);

    private Claims() {
    }
}
