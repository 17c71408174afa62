package io.berth.control.tag;

import io.berth.control.Operations;
import io.berth.control.state.State;

/** TagResource, UntagResource and ListTagsForResource over every taggable resource. */
public final class TagService {

    private final State state;

    public TagService(State state) {
        this.state = state;
    }

    public void addTo(Operations operations) {
    }
}
