package io.berth.control.iam;

import io.berth.control.Caller;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;

/** The actions of a Query API (IAM, STS) by name, each with its request shape and handler. */
public interface QueryOperations {

    @FunctionalInterface
    interface Handler<Q extends SdkRequest, R extends SdkResponse> {
        R handle(Caller caller, Q request);
    }

    <Q extends SdkRequest, R extends SdkResponse> void add(String action, Class<Q> requestType, Handler<Q, R> handler);
}
