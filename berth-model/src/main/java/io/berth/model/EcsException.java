package io.berth.model;

/**
 * An error answered to a client in the AWS JSON error shape: {@code {"__type": code, "message": …}}.
 * Anything thrown by the control plane that is not an {@code EcsException} is a server fault.
 */
public final class EcsException extends RuntimeException {

    private final String code;
    private final int httpStatus;

    public EcsException(String code, int httpStatus, String message) {
        super(message, null, false, false);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public static EcsException clientException(String message) {
        return new EcsException("ClientException", 400, message);
    }

    public static EcsException invalidParameter(String message) {
        return new EcsException("InvalidParameterException", 400, message);
    }

    public static EcsException clusterNotFound() {
        return new EcsException("ClusterNotFoundException", 400, "Cluster not found.");
    }

    public static EcsException serviceNotFound() {
        return new EcsException("ServiceNotFoundException", 400, "Service not found.");
    }

    public static EcsException resourceNotFound(String message) {
        return new EcsException("ResourceNotFoundException", 400, message);
    }

    public static EcsException resourceInUse(String message) {
        return new EcsException("ResourceInUseException", 400, message);
    }

    public static EcsException unsupportedFeature(String message) {
        return new EcsException("UnsupportedFeatureException", 400, message);
    }

    public static EcsException serialization(String message) {
        return new EcsException("SerializationException", 400, message);
    }

    public static EcsException accessDenied(String message) {
        return new EcsException("AccessDeniedException", 400, message);
    }
}
