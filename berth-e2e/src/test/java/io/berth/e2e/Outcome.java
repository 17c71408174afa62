package io.berth.e2e;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** How a call ended, as its caller can tell. */
enum Outcome {
    /** The server answered with success: the write must be stored. */
    ACKNOWLEDGED,
    /** The server answered with an AWS client error (4xx): the write must have changed nothing. */
    REFUSED,
    /**
     * No answer (timeout, connection refused or reset) or a server error (5xx, such as a follower's 502 when the
     * leader died mid-request): the write may or may not have happened.
     */
    UNKNOWN;

    /** The outcome of a call that threw. */
    static Outcome of(RuntimeException failure) {
        if (failure instanceof AwsServiceException service && service.statusCode() >= 400
                && service.statusCode() < 500) {
            return REFUSED;
        }
        return UNKNOWN;
    }
}
