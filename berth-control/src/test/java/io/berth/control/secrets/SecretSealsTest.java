package io.berth.control.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.crypto.Resealing;
import io.berth.control.crypto.Sealer;
import io.berth.control.store.MemoryStore;
import io.berth.model.EcsException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;

/** Secret values sealed again under a new master key read as before, and only with it. */
class SecretSealsTest {

    final MemoryStore store = new MemoryStore();

    @Test
    void everyVersionOfASecretReadsWithTheNewMasterKeyAfterARotation() {
        String first;
        try (SecretsWorld before = new SecretsWorld(store, Sealer.withKey(key(1)))) {
            first = before.create("db/creds", "first").versionId();
            before.call("PutSecretValue", PutSecretValueRequest.builder().secretId("db/creds").secretString("second")
                    .build());
        }

        Resealing.Outcome outcome = new Resealing(store, Sealer.withKeys(key(2), List.of(key(1))),
                List.of(SecretsManager.sealedDocuments())).resealAll();

        assertThat(outcome.resealed()).isEqualTo(2);
        try (SecretsWorld after = new SecretsWorld(store, Sealer.withKey(key(2)))) {
            assertThat(after.get("db/creds").secretString()).isEqualTo("second");
            assertThat(after.<GetSecretValueResponse>call(
                    "GetSecretValue", GetSecretValueRequest.builder().secretId("db/creds").versionId(first).build())
                    .secretString()).isEqualTo("first");
            assertThat(after.storedJson()).noneMatch(json -> json.contains("first\"") || json.contains("second"));
        }
        try (SecretsWorld previous = new SecretsWorld(store, Sealer.withKey(key(1)))) {
            assertThatThrownBy(() -> previous.get("db/creds")).isInstanceOfSatisfying(EcsException.class,
                    e -> assertThat(e.code()).isEqualTo("DecryptionFailure"));
        }
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }
}
