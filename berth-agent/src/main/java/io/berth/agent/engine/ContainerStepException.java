package io.berth.agent.engine;

/** A step of bringing up one container failed; {@code errorName} is the official agent's name for that step's error. */
final class ContainerStepException extends RuntimeException {

    private final String errorName;

    ContainerStepException(String errorName, RuntimeException cause) {
        super(cause.getMessage(), cause);
        this.errorName = errorName;
    }

    String errorName() {
        return errorName;
    }
}
