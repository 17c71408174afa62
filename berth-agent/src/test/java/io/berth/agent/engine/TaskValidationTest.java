package io.berth.agent.engine;

import static io.berth.agent.AcsFixtures.container;
import static io.berth.agent.AcsFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.agent.AcsFixtures;
import io.berth.model.acs.AcsContainer;
import io.berth.model.acs.AcsTask;
import io.berth.model.acs.AcsVolume;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskValidationTest {

    private static final String ARN = "arn:aws:ecs:us-east-1:123456789012:task/test/1111";

    private static AcsContainer withOverrides(String overrides) {
        AcsContainer base = task(ARN, container("app", "true")).containers().getFirst();
        return new AcsContainer(base.name(), base.image(), base.command(), base.entryPoint(), base.cpu(),
                base.memory(), base.environment(), base.essential(), base.links(), overrides, base.portMappings(),
                base.mountPoints(), base.volumesFrom(), base.dockerConfig(), base.healthCheckType(), base.dependsOn(),
                base.startTimeout(), base.stopTimeout(), base.privileged(), base.containerArn(), base.secrets(),
                base.registryAuthentication());
    }

    @Test
    void aWellFormedTaskPasses() {
        assertThatCode(() -> TaskValidation.check(task(ARN, container("app", "true")))).doesNotThrowAnyException();
    }

    @Test
    void onlyRunningAndStoppedAreDesiredStatuses() {
        assertThatThrownBy(() -> TaskValidation.check(AcsFixtures.withDesiredStatus(task(ARN, container("a", "true")),
                "PENDING"))).isInstanceOf(InvalidTaskException.class).hasMessage(
                "Error loading task - Unrecognized TaskStatus");
    }

    @Test
    void theArnMustNameATask() {
        assertThatThrownBy(() -> TaskValidation.check(task("task-1", container("app", "true"))))
                .isInstanceOf(InvalidTaskException.class).hasMessageContaining("Invalid task ARN");
    }

    @Test
    void containerNamesMustBeUnique() {
        assertThatThrownBy(() -> TaskValidation.check(task(ARN, container("app", "true"), container("app", "true"))))
                .isInstanceOf(InvalidTaskException.class).hasMessageContaining("unique");
    }

    @Test
    void aHostVolumeNeedsItsHostMember() {
        AcsTask task = task(ARN, List.of(new AcsVolume("data", "host", null, null)), container("app", "true"));

        assertThatThrownBy(() -> TaskValidation.check(task)).isInstanceOf(InvalidTaskException.class)
                .hasMessageContaining("host volume data");
    }

    @Test
    void overridesMayOnlyReplaceTheCommand() throws Exception {
        assertThat(TaskValidation.commandOverride(withOverrides("{\"command\":[\"sh\",\"-c\",\"x\"]}")))
                .containsExactly("sh", "-c", "x");
        assertThat(TaskValidation.commandOverride(withOverrides("{}"))).isNull();
        assertThatThrownBy(() -> TaskValidation.commandOverride(withOverrides("{\"environment\":{}}")))
                .isInstanceOf(InvalidTaskException.class).hasMessageContaining("unsupported override environment");
        assertThatThrownBy(() -> TaskValidation.commandOverride(withOverrides("")))
                .isInstanceOf(InvalidTaskException.class);
    }
}
