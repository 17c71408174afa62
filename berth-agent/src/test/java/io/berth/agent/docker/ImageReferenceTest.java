package io.berth.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    @Test
    void aReferenceWithoutTagMeansLatest() {
        assertThat(DockerRuntime.repositoryAndTag("busybox")).containsExactly("busybox", "latest");
        assertThat(DockerRuntime.repositoryAndTag("registry:5000/team/app")).containsExactly("registry:5000/team/app",
                "latest");
    }

    @Test
    void tagsAndDigestsAreSplitOff() {
        assertThat(DockerRuntime.repositoryAndTag("registry:5000/team/app:1.2")).containsExactly(
                "registry:5000/team/app", "1.2");
        assertThat(DockerRuntime.repositoryAndTag("nginx@sha256:abc")).containsExactly("nginx", "sha256:abc");
    }
}
