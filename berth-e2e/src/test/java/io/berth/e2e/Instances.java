package io.berth.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.Resource;

/**
 * Container-instance registrations shaped like those of the official amazon-ecs-agent in external
 * mode: 2 vCPU, 3764 MiB, the agent's reserved ports, capability attributes without values, and an
 * empty identity document.
 */
public final class Instances {

    public static final int CPU = 2048;
    public static final int MEMORY = 3764;
    public static final List<String> RESERVED_PORTS = List.of("22", "2375", "2376", "51678", "51679");
    public static final List<String> CAPABILITIES = List.of(
            "ecs.capability.secrets.ssm.environment-variables",
            "ecs.capability.container-ordering",
            "com.amazonaws.ecs.capability.privileged-container",
            "com.amazonaws.ecs.capability.docker-remote-api.1.41",
            "com.amazonaws.ecs.capability.logging-driver.json-file",
            "ecs.capability.external");

    private Instances() {
    }

    /** The request the agent sends on first registration into the cluster. */
    public static RegisterContainerInstanceRequest agentRegistration(String cluster) {
        return agentRegistration(cluster, b -> { });
    }

    /** The agent's first registration with changes applied, such as an identity document or tags. */
    public static RegisterContainerInstanceRequest agentRegistration(String cluster,
            Consumer<RegisterContainerInstanceRequest.Builder> change) {
        RegisterContainerInstanceRequest.Builder builder = RegisterContainerInstanceRequest.builder()
                .cluster(cluster)
                .instanceIdentityDocument("")
                .instanceIdentityDocumentSignature("")
                .totalResources(
                        integer("CPU", CPU),
                        integer("MEMORY", MEMORY),
                        stringSet("PORTS", RESERVED_PORTS),
                        stringSet("PORTS_UDP", List.of()))
                .attributes(agentAttributes());
        change.accept(builder);
        return builder.build();
    }

    /** Registers an agent-shaped instance and answers it. */
    public static ContainerInstance register(EcsClient ecs, String cluster) {
        return ecs.registerContainerInstance(agentRegistration(cluster)).containerInstance();
    }

    /** Registers an agent-shaped instance with changes applied and answers it. */
    public static ContainerInstance register(EcsClient ecs, String cluster,
            Consumer<RegisterContainerInstanceRequest.Builder> change) {
        return ecs.registerContainerInstance(agentRegistration(cluster, change)).containerInstance();
    }

    /** Registers an agent-shaped instance whose agent serves task role credentials. */
    public static ContainerInstance registerWithTaskRoles(EcsClient ecs, String cluster) {
        List<Attribute> attributes = new ArrayList<>(agentAttributes());
        attributes.add(Attribute.builder().name("com.amazonaws.ecs.capability.task-iam-role").build());
        return register(ecs, cluster, b -> b.attributes(attributes));
    }

    /** An EC2 instance identity document as the instance metadata service serves it. */
    public static String identityDocument(String instanceId, String availabilityZone, String instanceType,
            String imageId) {
        return """
                {"accountId":"123456789012","architecture":"x86_64","availabilityZone":"%s","imageId":"%s",\
                "instanceId":"%s","instanceType":"%s","privateIp":"10.0.0.12","region":"us-east-1"}"""
                .formatted(availabilityZone, imageId, instanceId, instanceType);
    }

    /** The attributes the agent sends: capabilities without values, then the OS ones. */
    public static List<Attribute> agentAttributes() {
        List<Attribute> attributes = new java.util.ArrayList<>();
        CAPABILITIES.forEach(name -> attributes.add(Attribute.builder().name(name).build()));
        attributes.add(Attribute.builder().name("ecs.os-type").value("linux").build());
        attributes.add(Attribute.builder().name("ecs.os-family").value("LINUX").build());
        attributes.add(Attribute.builder().name("ecs.cpu-architecture").value("x86_64").build());
        return List.copyOf(attributes);
    }

    public static Resource integer(String name, int value) {
        return Resource.builder().name(name).type("INTEGER").integerValue(value).build();
    }

    public static Resource stringSet(String name, List<String> values) {
        return Resource.builder().name(name).type("STRINGSET").stringSetValue(values).build();
    }

    /** The value of a resource by name in a list of resources, such as an instance's remaining ones. */
    public static Resource resource(List<Resource> resources, String name) {
        return resources.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("No resource " + name + " in " + resources));
    }
}
