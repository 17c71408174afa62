package io.berth.control.iam;

import static io.berth.control.iam.IamServiceTest.ACCOUNT;
import static io.berth.control.iam.IamServiceTest.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.TestClock;
import io.berth.control.crypto.Resealing;
import io.berth.control.crypto.Sealer;
import io.berth.control.store.Document;
import io.berth.control.store.MemoryStore;
import io.berth.control.store.Mutation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.CreateAccessKeyRequest;
import software.amazon.awssdk.services.iam.model.CreateRoleRequest;
import software.amazon.awssdk.services.iam.model.CreateUserRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;

/** Secret keys of access keys and of temporary credentials are stored sealed and opened when they sign. */
class SealedSecretsTest {

    private static final String PLAIN_KEY_ID = "AKIAOLDPLAINTEXT0001";
    private static final String PLAIN_SECRET = "oldPlainTextSecretKeyWrittenBeforeSealing";
    private static final String PLAIN_SESSION_ID = "ASIAOLDPLAINTEXT0001";

    final MemoryStore store = new MemoryStore();
    final TestClock clock = new TestClock(Instant.parse("2026-11-25T12:00:00Z"));
    final Sealer sealer = Sealer.withKey(key(1));
    final AccessKeys keys = new AccessKeys(store, sealer, clock);
    final Iam iam = new Iam(store, keys, clock);
    final Directories directories = new Directories(store, clock);
    final IamService iamService = new IamService(directories, keys, Authorizer.allowAll(), clock);
    final StsService sts = new StsService(directories, new Sessions(store, sealer, clock), Authorizer.allowAll());

    @Test
    void noStoredDocumentHoldsASecretKeyOrASessionTokenInTheClear() {
        AccessKey root = keys.create(ACCOUNT);
        iamService.createUser(ROOT, CreateUserRequest.builder().userName("alice").build());
        String userSecret = iamService.createAccessKey(ROOT, CreateAccessKeyRequest.builder().userName("alice").build())
                .accessKey().secretAccessKey();
        Credentials session = assumeRole();

        assertThat(storedJson()).noneMatch(json -> json.contains(root.secretAccessKey())
                || json.contains(userSecret) || json.contains(session.secretAccessKey())
                || json.contains(session.sessionToken()));
        assertThat(new AccessKeys(store, sealer, clock).find(root.accessKeyId()).orElseThrow().secretAccessKey())
                .isEqualTo(root.secretAccessKey());
        assertThat(new Iam(store, keys, clock).sessionKey(session.accessKeyId()).orElseThrow().secretAccessKey())
                .isEqualTo(session.secretAccessKey());
    }

    @Test
    void aKeyChangedToInactiveAndBackKeepsItsSecretSealed() {
        AccessKey root = keys.create(ACCOUNT);

        keys.setStatus(root.accessKeyId(), AccessKey.INACTIVE);
        keys.setStatus(root.accessKeyId(), AccessKey.ACTIVE);

        assertThat(storedJson()).noneMatch(json -> json.contains(root.secretAccessKey()));
        assertThat(keys.list()).singleElement().extracting(AccessKey::secretAccessKey).isEqualTo(root.secretAccessKey());
    }

    @Test
    void secretKeysAnEarlierVersionStoredInPlainTextStillSignAndAreSealedAtTheFirstStart() {
        storeAsAnEarlierVersionDid();

        assertThat(keys.find(PLAIN_KEY_ID).orElseThrow().secretAccessKey()).isEqualTo(PLAIN_SECRET);
        assertThat(iam.sessionKey(PLAIN_SESSION_ID).orElseThrow().secretAccessKey()).isEqualTo(PLAIN_SECRET);

        new Resealing(store, sealer, List.of(Iam.sealedDocuments())).checkAtStart("master.key");

        assertThat(storedJson()).noneMatch(json -> json.contains(PLAIN_SECRET));
        AccessKeys restarted = new AccessKeys(store, sealer, clock);
        assertThat(restarted.find(PLAIN_KEY_ID).orElseThrow().secretAccessKey()).isEqualTo(PLAIN_SECRET);
        assertThat(new Iam(store, restarted, clock).sessionKey(PLAIN_SESSION_ID).orElseThrow().secretAccessKey())
                .isEqualTo(PLAIN_SECRET);
    }

    @Test
    void afterARotationKeysSignWithTheNewMasterKeyAndNoLongerWithThePreviousOne() {
        AccessKey root = keys.create(ACCOUNT);
        Credentials session = assumeRole();
        Sealer rotating = Sealer.withKeys(key(2), List.of(key(1)));

        Resealing.Outcome outcome = new Resealing(store, rotating, List.of(Iam.sealedDocuments())).resealAll();

        assertThat(outcome.resealed()).isEqualTo(2);
        assertThat(outcome.broken()).isEmpty();
        AccessKeys rotated = new AccessKeys(store, Sealer.withKey(key(2)), clock);
        assertThat(rotated.find(root.accessKeyId()).orElseThrow().secretAccessKey()).isEqualTo(root.secretAccessKey());
        assertThat(new Iam(store, rotated, clock).sessionKey(session.accessKeyId()).orElseThrow().secretAccessKey())
                .isEqualTo(session.secretAccessKey());
        AccessKeys previous = new AccessKeys(store, Sealer.withKey(key(1)), clock);
        assertThat(previous.find(root.accessKeyId())).isEmpty();
        assertThat(new Iam(store, previous, clock).sessionKey(session.accessKeyId())).isEmpty();
    }

    private Credentials assumeRole() {
        String roleArn = iamService.createRole(ROOT, CreateRoleRequest.builder().roleName("app")
                .assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Principal\":{\"AWS\":\"" + ACCOUNT + "\"},\"Action\":\"sts:AssumeRole\"}]}")
                .build()).role().arn();
        return sts.assumeRole(ROOT, AssumeRoleRequest.builder().roleArn(roleArn).roleSessionName("s1").build())
                .credentials();
    }

    /** An access key and a session as stored before secrets were sealed: their secret keys in plain text. */
    private void storeAsAnEarlierVersionDid() {
        long created = clock.instant().getEpochSecond();
        store.apply(List.of(
                new Mutation.Put(new Document("access-key", "global", PLAIN_KEY_ID, "{\"accessKeyId\":\"" + PLAIN_KEY_ID
                        + "\",\"secretAccessKey\":\"" + PLAIN_SECRET + "\",\"accountId\":\"" + ACCOUNT
                        + "\",\"principalArn\":\"arn:aws:iam::" + ACCOUNT + ":root\",\"status\":\"Active\","
                        + "\"created\":" + created + ".000000000}")),
                new Mutation.Put(new Document("iam-session", PLAIN_SESSION_ID, PLAIN_SESSION_ID, "{\"accessKeyId\":\""
                        + PLAIN_SESSION_ID + "\",\"secretAccessKey\":\"" + PLAIN_SECRET + "\",\"accountId\":\""
                        + ACCOUNT + "\",\"principalArn\":\"arn:aws:sts::" + ACCOUNT + ":assumed-role/app/s1\","
                        + "\"roleArn\":\"arn:aws:iam::" + ACCOUNT + ":role/app\",\"assumedRoleId\":\"AROAEXAMPLE:s1\","
                        + "\"expiration\":" + (created + 3600) + ".000000000,\"tokenDigest\":\"00\"}"))));
    }

    private List<String> storedJson() {
        List<String> json = new ArrayList<>();
        store.loadAll(d -> json.add(d.json()));
        return json;
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }
}
