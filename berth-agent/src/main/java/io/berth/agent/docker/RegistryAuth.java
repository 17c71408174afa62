package io.berth.agent.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials for private registries, keyed by registry host, as the official agent reads them from
 * {@code ECS_ENGINE_AUTH_DATA}: with {@code ECS_ENGINE_AUTH_TYPE=docker}
 * {@code {"registry.example.com:5000": {"username": "...", "password": "...", "email": "..."}}}, with
 * {@code dockercfg} {@code {"registry.example.com:5000": {"auth": "<base64 of user:password>", "email": "..."}}}.
 * Both forms are accepted, entry by entry.
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

    /** Reads {@code ECS_ENGINE_AUTH_DATA} JSON of auth type {@code docker} or {@code dockercfg}. */
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
            String[] userAndPassword = userAndPassword(entry.getKey(), value);
            logins.put(hostOf(entry.getKey()), new Login(entry.getKey(), userAndPassword[0], userAndPassword[1],
                    value.path("email").asText(null)));
        });
        return new RegistryAuth(logins);
    }

    private static String[] userAndPassword(String registry, JsonNode value) {
        if (value.isObject() && value.hasNonNull("username") && value.hasNonNull("password")) {
            return new String[] {value.get("username").asText(), value.get("password").asText()};
        }
        if (value.isObject() && value.hasNonNull("auth")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value.get("auth").asText()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Engine auth data for " + registry + ": auth is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
            }
            throw new IllegalArgumentException("Engine auth data for " + registry + ": auth is not user:password");
        }
        throw new IllegalArgumentException("Engine auth data for " + registry
                + " needs a username and a password (or a dockercfg auth)");
    }

    /** A single login, for the registry {@code image} is pulled from: what a task's repository credentials give. */
    public static RegistryAuth forRegistryOf(String image, String username, String password) {
        String registry = registryOf(image);
        return new RegistryAuth(Map.of(registry, new Login(registry, username, password, null)));
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
