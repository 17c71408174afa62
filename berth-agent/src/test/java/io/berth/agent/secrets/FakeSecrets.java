package io.berth.agent.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.agent.FakeJsonService;
import io.berth.agent.FakeJsonService.Answer;
import io.berth.agent.FakeJsonService.Call;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * SSM's GetParameters and Secrets Manager's GetSecretValue on one endpoint, answered as AWS answers them, with
 * parameters and secrets the test puts in and resources the caller is denied.
 */
public final class FakeSecrets implements AutoCloseable {

    public static final String ACCOUNT = "123456789012";
    private static final String ROLE = "arn:aws:sts::" + ACCOUNT + ":assumed-role/ecsTaskExecutionRole/task";

    private record Version(String id, Set<String> stages, String value) {
    }

    private final Map<String, List<String>> parameters = new ConcurrentHashMap<>();
    private final Map<String, List<Version>> secrets = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final FakeJsonService service;

    public FakeSecrets() throws Exception {
        service = new FakeJsonService(call -> {
            calls.add(call);
            return switch (call.service() + "." + call.operation()) {
                case "AmazonSSM.GetParameters" -> getParameters(call.body());
                case "secretsmanager.GetSecretValue" -> getSecretValue(call.body());
                default -> Answer.error(400, "UnknownOperationException", call.operation());
            };
        });
    }

    public URI endpoint() {
        return service.endpoint();
    }

    /** A parameter whose versions are {@code values}, the last one current. */
    public void parameter(String name, String... values) {
        parameters.put(name, List.of(values));
    }

    /** A secret with its AWSCURRENT value, and the ARN (with AWS's random suffix) that names it. */
    public String secret(String region, String name, String current) {
        String arn = "arn:aws:secretsmanager:" + region + ":" + ACCOUNT + ":secret:" + name + "-AbCdEf";
        secrets.put(arn, new CopyOnWriteArrayList<>(List.of(new Version("v1", Set.of("AWSCURRENT"), current))));
        return arn;
    }

    /** A new current value; the one before becomes AWSPREVIOUS. */
    public void rotate(String arn, String versionId, String current) {
        List<Version> versions = secrets.get(arn);
        versions.replaceAll(v -> new Version(v.id(), v.stages().contains("AWSCURRENT") ? Set.of("AWSPREVIOUS")
                : Set.of(), v.value()));
        versions.add(new Version(versionId, Set.of("AWSCURRENT"), current));
    }

    /** The caller may not read this parameter name or secret ARN. */
    public void deny(String resource) {
        denied.add(resource);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    private Answer getParameters(JsonNode body) {
        ObjectNode answer = FakeJsonService.JSON.createObjectNode();
        ArrayNode found = answer.putArray("Parameters");
        ArrayNode invalid = answer.putArray("InvalidParameters");
        if (body.path("Names").size() > 10) {
            return Answer.error(400, "ValidationException", "1 validation error detected: Value at 'names' "
                    + "failed to satisfy constraint: Member must have length less than or equal to 10");
        }
        for (JsonNode requested : body.path("Names")) {
            String text = requested.asText();
            int colon = text.lastIndexOf(':');
            boolean versioned = colon > 0 && text.substring(colon + 1).matches("\\d+");
            String asked = versioned ? text.substring(0, colon) : text;
            String name = nameOf(asked);
            if (denied.contains(name)) {
                return Answer.error(400, "AccessDeniedException", "User: " + ROLE + " is not authorized to perform: "
                        + "ssm:GetParameters on resource: arn:aws:ssm:us-east-1:" + ACCOUNT + ":parameter"
                        + (name.startsWith("/") ? "" : "/") + name
                        + " because no identity-based policy allows the ssm:GetParameters action");
            }
            List<String> versions = parameters.get(name);
            int version = versioned ? Integer.parseInt(text.substring(colon + 1)) : versions == null ? 0 : versions.size();
            if (versions == null || version < 1 || version > versions.size()) {
                invalid.add(text);
                continue;
            }
            ObjectNode parameter = found.addObject();
            // asked for by ARN, AWS names the parameter by that ARN
            parameter.put("Name", asked);
            parameter.put("ARN", "arn:aws:ssm:us-east-1:" + ACCOUNT + ":parameter" + (name.startsWith("/") ? "" : "/")
                    + name);
            parameter.put("Type", "SecureString");
            parameter.put("Value", body.path("WithDecryption").asBoolean() ? versions.get(version - 1) : "ENCRYPTED");
            parameter.put("Version", version);
            if (versioned) {
                parameter.put("Selector", ":" + version);
            }
        }
        return Answer.ok(answer);
    }

    /** The parameter an ARN names: {@code parameter/a/b} is {@code /a/b}, {@code parameter/a} is {@code a} or {@code /a}. */
    private String nameOf(String asked) {
        int at = asked.startsWith("arn:") ? asked.indexOf(":parameter/") : -1;
        if (at < 0) {
            return asked;
        }
        String path = asked.substring(at + ":parameter".length());
        return parameters.containsKey(path) || path.indexOf('/', 1) > 0 ? path : path.substring(1);
    }

    private Answer getSecretValue(JsonNode body) {
        String id = body.path("SecretId").asText();
        String arn = secrets.keySet().stream().filter(a -> a.equals(id) || a.startsWith(id + "-")
                || a.endsWith(":secret:" + id + "-AbCdEf")).findFirst().orElse(null);
        if (arn == null) {
            return Answer.error(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        if (denied.contains(arn)) {
            return Answer.error(400, "AccessDeniedException", "User: " + ROLE + " is not authorized to perform: "
                    + "secretsmanager:GetSecretValue on resource: " + id
                    + " because no identity-based policy allows the secretsmanager:GetSecretValue action");
        }
        String versionId = body.path("VersionId").asText(null);
        String stage = body.path("VersionStage").asText(versionId == null ? "AWSCURRENT" : null);
        List<Version> matching = new ArrayList<>(secrets.get(arn).stream()
                .filter(v -> (versionId == null || v.id().equals(versionId))
                        && (stage == null || v.stages().contains(stage)))
                .toList());
        if (matching.isEmpty()) {
            return Answer.error(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret "
                    + "value for " + (versionId != null ? "VersionId: " + versionId : "staging label: " + stage));
        }
        Version version = matching.getFirst();
        ObjectNode answer = FakeJsonService.JSON.createObjectNode();
        answer.put("ARN", arn);
        answer.put("Name", arn.substring(arn.indexOf(":secret:") + 8, arn.length() - 7));
        answer.put("VersionId", version.id());
        answer.put("SecretString", version.value());
        version.stages().forEach(answer.putArray("VersionStages")::add);
        return Answer.ok(answer);
    }

    @Override
    public void close() throws Exception {
        service.close();
    }
}
