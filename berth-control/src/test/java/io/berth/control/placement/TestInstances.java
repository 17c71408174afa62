package io.berth.control.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;

/** Container instances as the instance family stores them, for placement and task tests. */
public final class TestInstances {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";

    private TestInstances() {
    }

    public static String arn(String cluster, String id) {
        return "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":container-instance/" + cluster + "/" + id;
    }

    /** An ACTIVE instance with a connected agent, the agent's usual reserved ports, and nothing placed. */
    public static ContainerInstance instance(String cluster, String id, int cpu, int memory, Attribute... attributes) {
        List<Resource> resources = List.of(
                Resource.builder().name("CPU").type("INTEGER").integerValue(cpu).build(),
                Resource.builder().name("MEMORY").type("INTEGER").integerValue(memory).build(),
                Resource.builder().name("PORTS").type("STRINGSET").stringSetValue("51678", "22", "2375", "2376", "51679").build(),
                Resource.builder().name("PORTS_UDP").type("STRINGSET").stringSetValue(List.of()).build());
        List<Attribute> all = new ArrayList<>(List.of(attributes));
        all.add(attribute("ecs.os-type", "linux"));
        return ContainerInstance.builder()
                .containerInstanceArn(arn(cluster, id))
                .ec2InstanceId("i-" + id)
                .status("ACTIVE")
                .agentConnected(true)
                .registeredResources(resources)
                .remainingResources(resources)
                .attributes(all)
                .build();
    }

    public static Attribute attribute(String name, String value) {
        return Attribute.builder().name(name).value(value).build();
    }

    public static InstanceLoad load(ContainerInstance instance) {
        return new InstanceLoad(instance, Map.of());
    }

    public static InstanceLoad load(ContainerInstance instance, String group, int tasks) {
        return new InstanceLoad(instance, Map.of(group, tasks));
    }
}
