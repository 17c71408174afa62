package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** STS through the real SDK {@code StsClient}: identities and temporary credentials of roles. */
class StsApiTest extends ApiTest {

    private static final AtomicInteger names = new AtomicInteger();
    static IamClient iam;
    static StsClient sts;

    @BeforeAll
    static void clients() {
        iam = berth.iam();
        sts = berth.sts();
    }

    @AfterAll
    static void closeClients() {
        iam.close();
        sts.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + names.incrementAndGet();
    }

    @Test
    void theRootKeyIsTheAccountsRoot() {
        GetCallerIdentityResponse identity = sts.getCallerIdentity();

        assertThat(identity.account()).isEqualTo(berth.accountId());
        assertThat(identity.arn()).isEqualTo("arn:aws:iam::" + berth.accountId() + ":root");
        assertThat(identity.userId()).isEqualTo(berth.accountId());
    }

    @Test
    void aUsersKeyIsThatUser() {
        String name = unique("caller");
        String userId = iam.createUser(r -> r.userName(name)).user().userId();
        AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();

        try (StsClient asUser = berth.sts(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            GetCallerIdentityResponse identity = asUser.getCallerIdentity();

            assertThat(identity.arn()).isEqualTo("arn:aws:iam::" + berth.accountId() + ":user/" + name);
            assertThat(identity.userId()).isEqualTo(userId);
            assertThat(identity.account()).isEqualTo(berth.accountId());
        }
    }
}
