package io.berth.control.secrets;

import io.berth.model.EcsException;

/** The errors Secrets Manager answers, with its codes; a secret's value never appears in one. */
final class SecretsErrors {

    private SecretsErrors() {
    }

    static EcsException notFound() {
        return EcsException.resourceNotFound("Secrets Manager can't find the specified secret.");
    }

    static EcsException valueNotFound(String what) {
        return EcsException.resourceNotFound(
                "Secrets Manager can't find the specified secret value for " + what);
    }

    static EcsException exists(String message) {
        return new EcsException("ResourceExistsException", 400, message);
    }

    static EcsException invalidRequest(String message) {
        return new EcsException("InvalidRequestException", 400, message);
    }

    static EcsException markedForDeletion() {
        return invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
    }

    static EcsException invalidParameter(String message) {
        return new EcsException("InvalidParameterException", 400, message);
    }

    static EcsException invalidNextToken() {
        return new EcsException("InvalidNextTokenException", 400, "The NextToken value is invalid.");
    }

    static EcsException limitExceeded(String message) {
        return new EcsException("LimitExceededException", 400, message);
    }

    /** Secrets Manager's message for one member that fails a constraint of the API model. */
    static EcsException constraint(String member, Object shown, String constraint) {
        return new EcsException("ValidationException", 400, "1 validation error detected: Value "
                + (shown == null ? "" : "'" + shown + "' ") + "at '" + member + "' failed to satisfy constraint: "
                + constraint);
    }

    static EcsException kmsDenied() {
        return EcsException.accessDenied("Access to KMS is not allowed");
    }

    /** A value that does not open: the master key changed or the stored document was altered. */
    static EcsException decryptionFailure() {
        return new EcsException("DecryptionFailure", 400,
                "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");
    }
}
