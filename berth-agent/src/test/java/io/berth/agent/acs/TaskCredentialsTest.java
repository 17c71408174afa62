package io.berth.agent.acs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.acs.IamRoleCredentials;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

class TaskCredentialsTest {

    private final TaskCredentials credentials = new TaskCredentials();

    @Test
    void aProviderSignsWithTheLatestCredentialsOfItsId() {
        AwsCredentialsProvider provider = credentials.provider("exec-1");
        credentials.put(role("exec-1", "ASIAFIRST", "token-1"));
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIAFIRST");

        credentials.put(role("exec-1", "ASIASECOND", "token-2"));

        assertThat(provider.resolveCredentials()).isInstanceOfSatisfying(AwsSessionCredentials.class, c -> {
            assertThat(c.accessKeyId()).isEqualTo("ASIASECOND");
            assertThat(c.sessionToken()).isEqualTo("token-2");
        });
    }

    @Test
    void credentialsNotYetReceivedFailLikeAnUnreachableIdentity() {
        assertThatThrownBy(() -> credentials.provider("exec-2").resolveCredentials())
                .isInstanceOf(SdkClientException.class).hasMessageContaining("exec-2");
    }

    @Test
    void credentialsWithoutASessionTokenAreAKeyPair() {
        credentials.put(role("exec-3", "AKIAPLAIN", null));

        assertThat(credentials.provider("exec-3").resolveCredentials())
                .isNotInstanceOf(AwsSessionCredentials.class)
                .satisfies(c -> assertThat(c.secretAccessKey()).isEqualTo("secret"));
    }

    private static IamRoleCredentials role(String id, String key, String token) {
        return new IamRoleCredentials(id, "arn:aws:iam::123456789012:role/exec", key, "secret", token,
                "2030-01-01T00:00:00Z", null);
    }
}
