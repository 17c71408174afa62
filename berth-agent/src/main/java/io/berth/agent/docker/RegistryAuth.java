package io.berth.agent.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials for private registries, keyed by registry host, as the official agent reads them from
 * {@code ECS_ENGINE_AUTH_TYPE=docker} and {@code ECS_ENGINE_AUTH_DATA}:
 * {@code {"registry.example.com:5000": {"username": "...", "password": "...", "email": "..."}}}.
 */
public record RegistryAuth(Map<String, Login> logins) {

    /** One registry login. */
    public record Login(String registry, String username, String password, String email) {
        @Override
        public String toString() {
            return "Login[" + registry + ", " + username + "]";
        }
    }

    public static final RegistryAuth NONE = new RegistryAuth(Map.of());

    /** The registry Docker uses for references that name none. */
    static final String DOCKER_HUB = "index.docker.io";

    public RegistryAuth {
        logins = Map.copyOf(logins);
    }

    /** Reads the {@code ECS_ENGINE_AUTH_DATA} JSON of auth type {@code docker}. */
    public static RegistryAuth parse(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Engine auth data is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Engine auth data must be a JSON object of registry -> credentials");
        }
        Map<String, Login> logins = new LinkedHashMap<>();
        root.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            if (!value.isObject() || !value.hasNonNull("username") || !value.hasNonNull("password")) {
                throw new IllegalArgumentException("Engine auth data for " + entry.getKey()
                        + " needs a username and a password");
            }
            String registry = hostOf(entry.getKey());
            logins.put(registry, new Login(entry.getKey(), value.get("username").asText(),
                    value.get("password").asText(), value.path("email").asText(null)));
        });
        return new RegistryAuth(logins);
    }

    /** The login for the registry an image reference names, if one is configured. */
    public Optional<Login> forImage(String image) {
        return Optional.ofNullable(logins.get(registryOf(image)));
    }

    /** {@code host[:port]} of a reference's registry: its first part when that looks like a host, else Docker Hub. */
    static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return DOCKER_HUB;
        }
        String first = image.substring(0, slash);
        boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
        return host ? normalise(first) : DOCKER_HUB;
    }

    /** A configured key such as {@code https://index.docker.io/v1/} or {@code 127.0.0.1:5000}, as a host. */
    static String hostOf(String key) {
        String host = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return normalise(host);
    }

    private static String normalise(String host) {
        String lower = host.toLowerCase(java.util.Locale.ROOT);
        return lower.equals("docker.io") || lower.equals("registry-1.docker.io") ? DOCKER_HUB : lower;
    }
}
