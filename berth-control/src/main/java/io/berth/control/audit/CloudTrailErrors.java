package io.berth.control.audit;

import io.berth.model.EcsException;

/** CloudTrail's errors, with its codes and its messages as far as they are known. */
final class CloudTrailErrors {

    private CloudTrailErrors() {
    }

    static EcsException invalidLookupAttributes(String message) {
        return new EcsException("InvalidLookupAttributesException", 400, message);
    }

    static EcsException invalidTimeRange() {
        return new EcsException("InvalidTimeRangeException", 400,
                "Occurs if the timestamp values are not valid. Either the start time occurs after the end time, "
                        + "or the time range is outside the range of possible values.");
    }

    static EcsException invalidMaxResults() {
        return new EcsException("InvalidMaxResultsException", 400, "MaxResults must be between 1 and 50.");
    }

    static EcsException invalidNextToken() {
        return new EcsException("InvalidNextTokenException", 400,
                "Invalid token or token that was previously used in a request with different parameters.");
    }

    static EcsException invalidEventCategory() {
        return new EcsException("InvalidEventCategoryException", 400,
                "The event category is not valid. The only valid value is insight.");
    }

    static EcsException unsupportedOperation(String operation) {
        return new EcsException("UnsupportedOperationException", 400, "The operation " + operation
                + " is not supported: this endpoint's CloudTrail answers LookupEvents over the event history only.");
    }
}
