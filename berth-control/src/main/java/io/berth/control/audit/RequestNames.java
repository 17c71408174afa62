package io.berth.control.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the trail keeps of a request: the members that name resources, through an allow-list per
 * service, and nothing else. A value that is not a string (or a list of strings) is not kept, nor a
 * member outside the list, so that no secret value (SecretString, a SecureString's Value, a password,
 * a private key) can ever be recorded.
 *
 * @param resources the resources named, in the order of the request
 * @param parameters the members kept, by CloudTrail's name for them (first letter lower case)
 */
record RequestNames(List<AuditResource> resources, Map<String, List<String>> parameters) {

    private static final int MAX_VALUES = 20;
    private static final int MAX_VALUE_LENGTH = 2048;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();

    /** Member names (as the request spells them) and the resource type each names, or null for no resource. */
    private static final Map<String, Map<String, String>> ALLOWED = Map.of(
            "ecs", members("cluster", "AWS::ECS::Cluster", "clusterName", "AWS::ECS::Cluster",
                    "service", "AWS::ECS::Service", "serviceName", "AWS::ECS::Service",
                    "task", "AWS::ECS::Task", "tasks", "AWS::ECS::Task",
                    "taskDefinition", "AWS::ECS::TaskDefinition", "family", "AWS::ECS::TaskDefinition",
                    "taskDefinitions", "AWS::ECS::TaskDefinition",
                    "containerInstance", "AWS::ECS::ContainerInstance",
                    "containerInstanceArn", "AWS::ECS::ContainerInstance",
                    "containerInstances", "AWS::ECS::ContainerInstance",
                    "capacityProvider", "AWS::ECS::CapacityProvider", "taskSet", "AWS::ECS::TaskSet",
                    "resourceArn", "AWS::ECS::Resource"),
            "logs", members("logGroupName", "AWS::Logs::LogGroup", "logGroupIdentifier", "AWS::Logs::LogGroup",
                    "logStreamName", "AWS::Logs::LogStream", "resourceArn", "AWS::Logs::LogGroup"),
            "ssm", members("Name", "AWS::SSM::Parameter", "Names", "AWS::SSM::Parameter",
                    "ResourceId", "AWS::SSM::Parameter", "Type", null, "Overwrite", null),
            "secretsmanager", members("SecretId", "AWS::SecretsManager::Secret",
                    "Name", "AWS::SecretsManager::Secret", "VersionStage", null),
            "iam", members("UserName", "AWS::IAM::User", "RoleName", "AWS::IAM::Role",
                    "PolicyName", "AWS::IAM::Policy", "PolicyArn", "AWS::IAM::Policy",
                    "GroupName", "AWS::IAM::Group", "InstanceProfileName", "AWS::IAM::InstanceProfile",
                    "AccessKeyId", "AWS::IAM::AccessKey", "VersionId", null, "Status", null),
            "sts", members("RoleArn", "AWS::IAM::Role", "RoleSessionName", null, "DurationSeconds", null));

    private static Map<String, String> members(String... nameThenType) {
        Map<String, String> members = new LinkedHashMap<>();
        for (int i = 0; i < nameThenType.length; i += 2) {
            members.put(nameThenType[i], nameThenType[i + 1]);
        }
        return members;
    }

    /** The names a call's request gives, read from its JSON body or its Query parameters. */
    static RequestNames of(AuditedCall call) {
        Map<String, String> allowed = ALLOWED.getOrDefault(call.service(), Map.of());
        Map<String, List<String>> picked = new LinkedHashMap<>();
        if (call.jsonBody() != null) {
            pickJson(call.jsonBody(), allowed, picked);
        }
        call.queryParameters().forEach((name, value) -> {
            if (allowed.containsKey(name) && value.length() <= MAX_VALUE_LENGTH) {
                picked.put(name, List.of(value));
            }
        });
        List<AuditResource> resources = new ArrayList<>();
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        picked.forEach((name, values) -> {
            String type = allowed.get(name);
            if (type != null) {
                values.forEach(value -> resources.add(new AuditResource(type, value)));
            }
            parameters.put(Character.toLowerCase(name.charAt(0)) + name.substring(1), values);
        });
        return new RequestNames(List.copyOf(resources), parameters);
    }

    /** Reads the top-level members allowed, skipping every other value unread; a body that is not JSON gives none. */
    private static void pickJson(byte[] body, Map<String, String> allowed, Map<String, List<String>> picked) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!allowed.containsKey(name)) {
                    parser.skipChildren();
                } else if (value == JsonToken.VALUE_STRING) {
                    keep(picked, name, parser.getText());
                } else if (value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        if (parser.currentToken() == JsonToken.VALUE_STRING) {
                            keep(picked, name, parser.getText());
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
                    keep(picked, name, parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // A body the edge could not read either: what was picked before the fault is all there is.
        }
    }

    private static void keep(Map<String, List<String>> picked, String name, String value) {
        List<String> values = picked.computeIfAbsent(name, n -> new ArrayList<>());
        if (values.size() < MAX_VALUES && value.length() <= MAX_VALUE_LENGTH) {
            values.add(value);
        }
    }
}
