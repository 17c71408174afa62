package io.berth.control.ssm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.crypto.Resealing;
import io.berth.control.crypto.Sealer;
import io.berth.control.store.MemoryStore;
import io.berth.model.EcsException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** SecureString values sealed again under a new master key read as before, and only with it. */
class ParameterSealsTest {

    final MemoryStore store = new MemoryStore();

    @Test
    void everyVersionOfASecureStringReadsWithTheNewMasterKeyAfterARotation() {
        try (ParameterWorld before = new ParameterWorld(store, Sealer.withKey(key(1)))) {
            before.put("/db/password", "first", ParameterType.SECURE_STRING);
            before.put("/db/password", "second", ParameterType.SECURE_STRING);
            before.put("/db/host", "db.internal", ParameterType.STRING);
        }

        Resealing.Outcome outcome = new Resealing(store, Sealer.withKeys(key(2), List.of(key(1))),
                List.of(ParameterStore.sealedDocuments())).resealAll();

        assertThat(outcome.resealed()).isEqualTo(2);
        try (ParameterWorld after = new ParameterWorld(store, Sealer.withKey(key(2)))) {
            assertThat(decrypted(after, "/db/password:1")).isEqualTo("first");
            assertThat(decrypted(after, "/db/password")).isEqualTo("second");
            assertThat(decrypted(after, "/db/host")).isEqualTo("db.internal");
            assertThat(after.storedJson()).noneMatch(json -> json.contains("first") || json.contains("second"));
        }
        try (ParameterWorld previous = new ParameterWorld(store, Sealer.withKey(key(1)))) {
            assertThatThrownBy(() -> decrypted(previous, "/db/password")).isInstanceOfSatisfying(EcsException.class,
                    e -> assertThat(e.code()).isEqualTo("InternalServerError"));
        }
    }

    private static String decrypted(ParameterWorld world, String name) {
        GetParameterResponse got = world.call("GetParameter",
                GetParameterRequest.builder().name(name).withDecryption(true).build());
        return got.parameter().value();
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }
}
