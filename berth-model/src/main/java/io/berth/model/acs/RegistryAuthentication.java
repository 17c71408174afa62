package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a container's image is pulled from a private registry: with {@code type} {@code asm}, the login is the
 * Secrets Manager secret {@link AsmAuthData#credentialsParameter()} (a task definition's
 * {@code repositoryCredentials}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistryAuthentication(
        String type,
        AsmAuthData asmAuthData) {

    public static final String ASM = "asm";

    /** The Secrets Manager secret holding {@code username} and {@code password}, and its region. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AsmAuthData(String credentialsParameter, String region) {}
}
