package io.berth.agent.engine;

/** A container's health as ECS names it, from Docker's health check state. */
public enum HealthStatus {
    HEALTHY, UNHEALTHY, UNKNOWN;

    /**
     * {@code healthy} and {@code unhealthy} map to themselves, {@code starting} (and anything else Docker may say)
     * to UNKNOWN; null, a container without a health check, stays null.
     */
    public static HealthStatus ofDocker(String dockerHealth) {
        if (dockerHealth == null) {
            return null;
        }
        return switch (dockerHealth) {
            case "healthy" -> HEALTHY;
            case "unhealthy" -> UNHEALTHY;
            default -> UNKNOWN;
        };
    }
}
