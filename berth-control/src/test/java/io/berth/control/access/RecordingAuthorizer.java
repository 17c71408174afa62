package io.berth.control.access;

import io.berth.control.Caller;
import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.Decision;
import java.util.ArrayList;
import java.util.List;

/** An authorizer that records every request it is asked before another decides it. */
final class RecordingAuthorizer implements Authorizer {

    private final Authorizer decider;
    private final List<AccessRequest> decided = new ArrayList<>();

    RecordingAuthorizer(Authorizer decider) {
        this.decider = decider;
    }

    @Override
    public synchronized Decision decide(Caller caller, AccessRequest request) {
        decided.add(request);
        return decider.decide(caller, request);
    }

    synchronized List<AccessRequest> decided() {
        return List.copyOf(decided);
    }
}
