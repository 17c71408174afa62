package io.berth.control.taskdef;

import static io.berth.control.taskdef.Registrar.container;
import static io.berth.control.taskdef.Registrar.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * A registered definition lists every launch type it validates against, whatever it required, and
 * tasks and services run it with those launch types only.
 */
class CompatibilitiesTest {

    private final Registrar registrar = new Registrar();

    @AfterEach
    void close() {
        registrar.close();
    }

    /** An awsvpc definition of a size Fargate offers, requiring nothing. */
    private static RegisterTaskDefinitionRequest.Builder fargateSized() {
        return request(container("web")).networkMode("awsvpc").cpu("1 vCPU").memory("2 GB");
    }

    private TaskDefinition runnable(String family, String launchType) {
        return TaskDefinitions.requireRunnable(registrar.region(), family, launchType, "Tasks");
    }

    private void assertNotRunnable(String family, String launchType) {
        assertThatThrownBy(() -> runnable(family, launchType)).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("InvalidParameterException");
            assertThat(e.getMessage()).isEqualTo("Task definition does not support launch_type " + launchType + ".");
        });
    }

    @Test
    void bridgeDefinitionsRunOnInstancesAndExternalInstances() {
        assertThat(registrar.register(request(container("app"))).compatibilitiesAsStrings())
                .containsExactly("EXTERNAL", "EC2");
        assertThat(registrar.register(request(container("app")).networkMode("bridge")).compatibilitiesAsStrings())
                .containsExactly("EXTERNAL", "EC2");
        assertThat(registrar.register(request(container("app")).networkMode("none")).compatibilitiesAsStrings())
                .containsExactly("EXTERNAL", "EC2");
    }

    @Test
    void hostDefinitionsSuitManagedInstancesToo() {
        assertThat(registrar.register(request(container("app")).networkMode("host")).compatibilitiesAsStrings())
                .containsExactly("EXTERNAL", "EC2", "MANAGED_INSTANCES");
    }

    @Test
    void anAwsvpcDefinitionOfAFargateSizeSuitsFargateEvenWhenOnlyEc2IsRequired() {
        assertThat(registrar.register(fargateSized()).compatibilitiesAsStrings())
                .containsExactly("EC2", "MANAGED_INSTANCES", "FARGATE");
        assertThat(registrar.register(fargateSized().requiresCompatibilitiesWithStrings("EC2")).compatibilitiesAsStrings())
                .containsExactly("EC2", "MANAGED_INSTANCES", "FARGATE");
    }

    @Test
    void anAwsvpcDefinitionFargateCannotRunIsListedWithoutIt() {
        assertThat(registrar.register(request(container("app")).networkMode("awsvpc")).compatibilitiesAsStrings())
                .as("no task size").containsExactly("EC2", "MANAGED_INSTANCES");
        assertThat(registrar.register(fargateSized().memory("3 GB").cpu("256")).compatibilitiesAsStrings())
                .as("a size outside the table").containsExactly("EC2", "MANAGED_INSTANCES");
        assertThat(registrar.register(fargateSized().containerDefinitions(container("app", c -> c.privileged(true))))
                .compatibilitiesAsStrings()).as("a privileged container").containsExactly("EC2", "MANAGED_INSTANCES");
    }

    @Test
    void aBridgeDefinitionOfAFargateSizeIsNotForFargate() {
        assertThat(registrar.register(fargateSized().networkMode("bridge")).compatibilitiesAsStrings())
                .containsExactly("EXTERNAL", "EC2");
    }

    @Test
    void fargateRunsWhatListsIt() {
        registrar.register(fargateSized().family("sized").requiresCompatibilitiesWithStrings("EC2"));
        registrar.register(request(container("app")).family("bridged"));

        assertThat(runnable("sized", "FARGATE").family()).isEqualTo("sized");
        assertNotRunnable("bridged", "FARGATE");
    }

    @Test
    void aFargateDefinitionAlsoRunsOnInstances() {
        registrar.register(fargateSized().family("web").requiresCompatibilitiesWithStrings("FARGATE"));

        assertThat(runnable("web", "EC2").family()).isEqualTo("web");
        assertThat(runnable("web", "FARGATE").family()).isEqualTo("web");
    }

    @ParameterizedTest
    @ValueSource(strings = {"EC2", "EXTERNAL"})
    void awsvpcDefinitionsRunOnBerthsInstancesAndExternalInstances(String launchType) {
        registrar.register(request(container("app")).family("vpc").networkMode("awsvpc"));

        assertThat(runnable("vpc", launchType).networkModeAsString()).isEqualTo("awsvpc");
    }

    @Test
    void awsvpcDefinitionsKeepRequiringTheTaskEniCapability() {
        TaskDefinition registered = registrar.register(fargateSized());

        assertThat(registered.requiresAttributes()).extracting(a -> a.name()).contains("ecs.capability.task-eni");
    }

    @Test
    void aDefinitionStoredWithoutCompatibilitiesRunsWithTheLaunchTypesItRequires() {
        TaskDefinition stored = TaskDefinition.builder().family("old").revision(1).status("ACTIVE")
                .requiresCompatibilitiesWithStrings("EC2").build();

        assertThat(Compatibilities.allow(stored, "EC2")).isTrue();
        assertThat(Compatibilities.allow(stored, "FARGATE")).isFalse();
        assertThat(Compatibilities.allow(stored.toBuilder().requiresCompatibilities(List.of()).build(), "EXTERNAL"))
                .isTrue();
    }

    @Test
    void onlyExistingActiveDefinitionsRun() {
        registrar.register(fargateSized().family("gone"));
        registrar.deregister("gone:1");

        assertThatThrownBy(() -> runnable("gone:1", "FARGATE")).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("ClientException");
            assertThat(e.getMessage()).isEqualTo("TaskDefinition is inactive");
        });
        assertThatThrownBy(() -> runnable("missing", "FARGATE")).isInstanceOfSatisfying(EcsException.class,
                e -> assertThat(e.getMessage()).isEqualTo("TaskDefinition not found."));
    }
}
