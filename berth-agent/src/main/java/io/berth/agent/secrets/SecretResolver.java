package io.berth.agent.secrets;

import io.berth.agent.tls.ServerTrust;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.agent.docker.RegistryAuth;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * Fetches a container's secrets and registry credentials from SSM Parameter Store and Secrets Manager, as the task
 * execution role: parameters with GetParameters (decrypted, at most ten names a call, one call per region's batch),
 * secrets with GetSecretValue (its version stage or id, then its JSON key). Every failure is collected, so that
 * the stopped reason names them all, and none of them carries a value.
 */
public final class SecretResolver {

    /**
     * What an agent resolving secrets advertises, named as the official agent names them; only for an agent whose
     * task engine calls {@link #environment} and {@link #registryAuth}. ECR pulls with the execution role
     * ({@code ecs.capability.execution-role-ecr-pull}) are another matter, not done here.
     */
    public static final List<String> CAPABILITIES = List.of("ecs.capability.secrets.ssm.environment-variables",
            "ecs.capability.secrets.asm.environment-variables",
            "ecs.capability.private-registry-authentication.secretsmanager");

    /** What GetParameters takes at most. */
    static final int MAX_PARAMETERS_PER_CALL = 10;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String region;
    private final ServerTrust trust;

    private SecretResolver(URI endpoint, String region, ServerTrust trust) {
        this.endpoint = endpoint;
        this.region = region;
        this.trust = trust;
    }

    /**
     * @param endpoint where SSM and Secrets Manager answer: the endpoint the agent talks to; null for AWS's own
     * @param region the region of names that are not ARNs: the agent's (the task's) region
     */
    public static SecretResolver of(URI endpoint, String region) {
        return of(endpoint, region, ServerTrust.jvmDefault());
    }

    /** As {@link #of(URI, String)}, trusting the endpoint's certificate through {@code trust}. */
    public static SecretResolver of(URI endpoint, String region, ServerTrust trust) {
        return new SecretResolver(endpoint, region, trust);
    }

    /**
     * The environment variables a container's {@code secrets} give, in their order.
     *
     * @param executionRole the task execution role's credentials; null when the task has none
     */
    public Map<String, String> environment(List<ContainerSecret> secrets, AwsCredentialsProvider executionRole)
            throws SecretsUnavailableException {
        if (secrets.isEmpty()) {
            return Map.of();
        }
        requireRole(executionRole);
        List<String> failures = new ArrayList<>();
        Map<ContainerSecret, SecretReference> references = new LinkedHashMap<>();
        for (ContainerSecret secret : secrets) {
            try {
                references.put(secret, SecretReference.parse(secret.valueFrom(), region));
            } catch (IllegalArgumentException e) {
                failures.add(e.getMessage());
            }
        }
        Map<String, Map<String, String>> parametersByRegion = parameters(references.values(), executionRole, failures);
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map.Entry<ContainerSecret, SecretReference> entry : references.entrySet()) {
            switch (entry.getValue()) {
                case SecretReference.Parameter parameter -> {
                    String value = parametersByRegion.getOrDefault(parameter.region(), Map.of()).get(parameter.name());
                    if (value != null) {
                        environment.put(entry.getKey().name(), value);
                    }
                }
                case SecretReference.Secret secret -> {
                    try {
                        environment.put(entry.getKey().name(), secretValue(secret, executionRole));
                    } catch (Failure e) {
                        failures.add("unable to retrieve secret from asm: " + e.getMessage());
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new SecretsUnavailableException(String.join("; ", failures));
        }
        return environment;
    }

    /**
     * The login for pulling {@code image}, from a container's {@code repositoryCredentials.credentialsParameter}: a
     * Secrets Manager secret (ARN, or name in the agent's region) holding {@code {"username": ..., "password": ...}}.
     */
    public RegistryAuth registryAuth(String image, String credentialsParameter, AwsCredentialsProvider executionRole)
            throws SecretsUnavailableException {
        requireRole(executionRole);
        String secretRegion = region;
        if (credentialsParameter != null && credentialsParameter.startsWith("arn:")) {
            String[] arn = credentialsParameter.split(":", 6);
            secretRegion = arn.length == 6 && !arn[3].isEmpty() ? arn[3] : region;
        }
        String text;
        try {
            text = secretValue(new SecretReference.Secret(credentialsParameter, secretRegion, credentialsParameter,
                    null, null, null), executionRole);
        } catch (Failure e) {
            throw new SecretsUnavailableException("unable to retrieve secret from asm: " + e.getMessage());
        }
        JsonNode login = readJson(text);
        if (login == null || !login.isObject()) {
            throw new SecretsUnavailableException("unable to retrieve secret from asm: "
                    + "asm fetching authorization data: unable to unmarshal secret value, invalid schema");
        }
        for (String member : List.of("username", "password")) {
            if (login.path(member).asText("").isEmpty()) {
                throw new SecretsUnavailableException("unable to retrieve secret from asm: asm fetching " + member
                        + ": AuthorizationData is malformed, empty field");
            }
        }
        return RegistryAuth.forRegistryOf(image, login.get("username").asText(), login.get("password").asText());
    }

    /** The values of every SSM parameter referred to, by region and name; what cannot be had goes to failures. */
    private Map<String, Map<String, String>> parameters(Iterable<SecretReference> references,
            AwsCredentialsProvider credentials, List<String> failures) {
        Map<String, Set<String>> namesByRegion = new LinkedHashMap<>();
        for (SecretReference reference : references) {
            if (reference instanceof SecretReference.Parameter parameter) {
                namesByRegion.computeIfAbsent(parameter.region(), r -> new LinkedHashSet<>()).add(parameter.name());
            }
        }
        Map<String, Map<String, String>> values = new HashMap<>();
        namesByRegion.forEach((parameterRegion, names) -> {
            try (SsmClient ssm = client(SsmClient.builder(), parameterRegion, credentials)) {
                values.put(parameterRegion, parameters(ssm, new ArrayList<>(names)));
            } catch (Failure e) {
                failures.add("unable to retrieve secrets from ssm: " + e.getMessage());
            }
        });
        return values;
    }

    private static Map<String, String> parameters(SsmClient ssm, List<String> names) throws Failure {
        Map<String, String> values = new HashMap<>();
        List<String> invalid = new ArrayList<>();
        for (int from = 0; from < names.size(); from += MAX_PARAMETERS_PER_CALL) {
            List<String> batch = names.subList(from, Math.min(names.size(), from + MAX_PARAMETERS_PER_CALL));
            GetParametersResponse answer;
            try {
                answer = ssm.getParameters(r -> r.names(batch).withDecryption(true));
            } catch (SdkException e) {
                throw new Failure(describe(e));
            }
            invalid.addAll(answer.invalidParameters());
            for (Parameter parameter : answer.parameters()) {
                // a "name:version" asked for comes back as the name and its selector; an ARN as itself
                String selector = parameter.selector() == null ? "" : parameter.selector();
                values.put(parameter.name() + selector, parameter.value());
                values.putIfAbsent(parameter.name(), parameter.value());
                if (parameter.arn() != null) {
                    values.putIfAbsent(parameter.arn() + selector, parameter.value());
                }
            }
        }
        if (!invalid.isEmpty()) {
            throw new Failure("invalid ssm parameters: " + String.join(",", invalid));
        }
        return values;
    }

    private String secretValue(SecretReference.Secret secret, AwsCredentialsProvider credentials) throws Failure {
        GetSecretValueResponse answer;
        try (SecretsManagerClient secrets = client(SecretsManagerClient.builder(), secret.region(), credentials)) {
            answer = secrets.getSecretValue(r -> r.secretId(secret.secretId()).versionStage(secret.versionStage())
                    .versionId(secret.versionId()));
        } catch (ResourceNotFoundException e) {
            throw new Failure("ResourceNotFoundException: The task can't retrieve the secret with ARN '"
                    + secret.secretId() + "' from AWS Secrets Manager. Check whether the secret exists in the "
                    + "specified Region");
        } catch (SdkException e) {
            throw new Failure("failed to fetch secret " + secret.secretId() + " from secrets manager: " + describe(e));
        }
        String text = answer.secretString() == null ? "" : answer.secretString();
        if (secret.jsonKey() == null) {
            return text;
        }
        JsonNode document = readJson(text);
        if (document == null || !document.isObject()) {
            throw new Failure("secret " + secret.secretId() + " is not a JSON object, so it has no json key "
                    + secret.jsonKey());
        }
        JsonNode value = document.get(secret.jsonKey());
        if (value == null) {
            throw new Failure("retrieved secret from Secrets Manager did not contain json key " + secret.jsonKey());
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** The JSON in a secret, or null; the parser's own message would quote the secret, so it is never kept. */
    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }

    private static void requireRole(AwsCredentialsProvider executionRole) throws SecretsUnavailableException {
        if (executionRole == null) {
            throw new SecretsUnavailableException("unable to find execution role credentials");
        }
    }

    private <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C client(B builder,
            String clientRegion, AwsCredentialsProvider credentials) {
        builder.region(Region.of(clientRegion)).credentialsProvider(credentials)
                .httpClient(trust.sdkHttpClient());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /** Why one secret or batch could not be had, in words that may reach the task's stopped reason. */
    private static final class Failure extends Exception {
        Failure(String reason) {
            super(reason, null, false, false);
        }
    }
}
