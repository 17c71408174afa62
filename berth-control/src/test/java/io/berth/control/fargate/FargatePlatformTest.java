package io.berth.control.fargate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

class FargatePlatformTest {

    @Test
    void aFargateLaunchTakesLatestByDefaultAndLatestMeansTheCurrentVersion() {
        assertThat(FargatePlatform.requested(null, "FARGATE")).isEqualTo("LATEST");
        assertThat(FargatePlatform.requested("1.3.0", "FARGATE")).isEqualTo("1.3.0");
        assertThat(FargatePlatform.resolved("LATEST")).isEqualTo("1.4.0");
        assertThat(FargatePlatform.resolved(null)).isEqualTo("1.4.0");
        assertThat(FargatePlatform.requested(null, "EC2")).isNull();
    }

    @Test
    void aVersionOffFargateOrAnUnknownOneIsRefusedInEcsWords() {
        assertThatThrownBy(() -> FargatePlatform.requested("LATEST", "EXTERNAL")).isInstanceOfSatisfying(
                EcsException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidParameterException");
                    assertThat(e.getMessage()).isEqualTo(
                            "The platform version must be null when specifying an EXTERNAL launch type.");
                });
        assertThatThrownBy(() -> FargatePlatform.requested("2.0.0", "FARGATE")).isInstanceOfSatisfying(
                EcsException.class, e -> assertThat(e.code()).isEqualTo("PlatformUnknownException"));
        assertThatThrownBy(() -> FargatePlatform.requested("x".repeat(100_000), "FARGATE"))
                .isInstanceOf(EcsException.class);
    }

    @Test
    void aFargateTaskShowsItsPlatformAndHidesItsHost() {
        TaskDefinition windows = TaskDefinition.builder()
                .runtimePlatform(p -> p.operatingSystemFamily("WINDOWS_SERVER_2022_CORE")).build();
        Task task = FargateTasks.onFargate(Task.builder().launchType("FARGATE")
                .containerInstanceArn("arn:aws:ecs:us-east-1:1:container-instance/berth.fargate/h1"), "FARGATE",
                TaskDefinition.builder().build(), null).build();
        Task ec2 = FargateTasks.onFargate(Task.builder().launchType("EC2").containerInstanceArn("arn:i"), "EC2",
                TaskDefinition.builder().build(), null).build();

        assertThat(task.platformVersion()).isEqualTo("1.4.0");
        assertThat(task.platformFamily()).isEqualTo("Linux");
        assertThat(task.ephemeralStorage().sizeInGiB()).isEqualTo(20);
        assertThat(FargateTasks.shown(task).containerInstanceArn()).isNull();
        assertThat(FargatePlatform.family(windows)).isEqualTo("WINDOWS_SERVER_2022_CORE");
        assertThat(FargateTasks.shown(ec2)).isSameAs(ec2);
        assertThat(ec2.platformVersion()).isNull();
    }
}
