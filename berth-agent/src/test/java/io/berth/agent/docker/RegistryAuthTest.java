package io.berth.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegistryAuthTest {

    private static final RegistryAuth AUTH = RegistryAuth.parse("""
            {"127.0.0.1:5000": {"username": "builder", "password": "s3cret"},
             "https://index.docker.io/v1/": {"username": "hub", "password": "pw", "email": "hub@example.com"}}
            """);

    @Test
    void anImageOfAConfiguredRegistryGetsItsLogin() {
        assertThat(AUTH.forImage("127.0.0.1:5000/team/app:1.2")).hasValueSatisfying(login -> {
            assertThat(login.username()).isEqualTo("builder");
            assertThat(login.password()).isEqualTo("s3cret");
            assertThat(login.registry()).isEqualTo("127.0.0.1:5000");
        });
    }

    @Test
    void referencesWithoutARegistryHostMeanDockerHub() {
        assertThat(AUTH.forImage("busybox")).hasValueSatisfying(login -> assertThat(login.username()).isEqualTo("hub"));
        assertThat(AUTH.forImage("library/busybox:1")).hasValueSatisfying(login ->
                assertThat(login.email()).isEqualTo("hub@example.com"));
        assertThat(AUTH.forImage("docker.io/library/busybox")).isPresent();
    }

    @Test
    void otherRegistriesGetNoLogin() {
        assertThat(AUTH.forImage("127.0.0.1:5001/team/app")).isEmpty();
        assertThat(AUTH.forImage("registry.example.com/app")).isEmpty();
        assertThat(RegistryAuth.NONE.forImage("busybox")).isEmpty();
    }

    @Test
    void theDockercfgFormCarriesUserAndPasswordInBase64() {
        String auth = java.util.Base64.getEncoder().encodeToString("ci:pass:word".getBytes());
        RegistryAuth dockercfg = RegistryAuth.parse("{\"registry.example.com\": {\"auth\": \"" + auth + "\"}}");

        assertThat(dockercfg.forImage("registry.example.com/app")).hasValueSatisfying(login -> {
            assertThat(login.username()).isEqualTo("ci");
            assertThat(login.password()).isEqualTo("pass:word");
        });
        assertThatThrownBy(() -> RegistryAuth.parse("{\"r\": {\"auth\": \"bm9jb2xvbg==\"}}"))
                .hasMessageContaining("not user:password");
    }

    @Test
    void malformedDataIsRefusedWithTheReason() {
        assertThatThrownBy(() -> RegistryAuth.parse("not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> RegistryAuth.parse("[]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> RegistryAuth.parse("{\"r:1\": {\"username\": \"u\"}}"))
                .hasMessageContaining("r:1 needs a username and a password");
    }

    @Test
    void passwordsStayOutOfLogs() {
        assertThat(AUTH.forImage("127.0.0.1:5000/x").orElseThrow().toString()).doesNotContain("s3cret");
    }
}
