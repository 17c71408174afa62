package io.berth.control.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.store.Document;
import io.berth.control.store.MemoryStore;
import io.berth.control.store.Mutation;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResealingTest {

    /** A domain whose documents are one sealed note each, sealed for the note's id. */
    private static final SealedDocuments NOTES = new SealedDocuments() {
        @Override
        public Set<String> kinds() {
            return Set.of("note");
        }

        @Override
        public Optional<String> reseal(Document document, Sealer sealer, Lookup others) {
            return sealer.sealedUnderCurrentKey(document.json()) ? Optional.empty()
                    : Optional.of(sealer.reseal(document.json(), "notes", document.id()));
        }
    };

    final MemoryStore store = new MemoryStore();

    @Test
    void aStoreTakesTheMasterKeyItIsFirstOpenedWithAndRefusesAnotherWithAMessageThatSaysWhatToDo() {
        resealing(sealer(1)).checkAtStart("/var/lib/berth/master.key");
        resealing(sealer(1)).checkAtStart("/var/lib/berth/master.key");

        assertThatThrownBy(() -> resealing(sealer(2)).checkAtStart("/etc/berth/other.key"))
                .isInstanceOf(Resealing.WrongMasterKeyException.class)
                .hasMessageContaining("/etc/berth/other.key")
                .hasMessageContaining("does not open the secrets in this store")
                .hasMessageContaining(sealer(1).masterKeyId())
                .hasMessageContaining("--master-key-file")
                .hasNoCause();
    }

    @Test
    void aStoreOfAnEarlierVersionIsCheckedAgainstItsSealedValuesAtItsFirstStart() throws Exception {
        put("a", SealerTest.sealedWithoutKeyId(key(1), value("a"), "notes", "a"));

        assertThatThrownBy(() -> resealing(sealer(2)).checkAtStart("master.key"))
                .isInstanceOf(Resealing.WrongMasterKeyException.class);
        resealing(sealer(1)).checkAtStart("master.key");

        assertThat(Sealer.masterKeyIdOf(note("a"))).contains(sealer(1).masterKeyId());
        assertThat(sealer(1).open(note("a"), "notes", "a")).isEqualTo(value("a"));
    }

    @Test
    void resealingUnderANewKeyLeavesNothingThatOnlyThePreviousKeyOpens() {
        put("a", sealer(1).seal(value("a"), "notes", "a"));
        put("b", sealer(1).seal(value("b"), "notes", "b"));
        resealing(sealer(1)).checkAtStart("master.key");

        Resealing.Outcome outcome = resealing(Sealer.withKeys(key(2), List.of(key(1)))).resealAll();

        assertThat(outcome.resealed()).isEqualTo(3);
        assertThat(outcome.broken()).isEmpty();
        assertThat(sealer(2).open(note("a"), "notes", "a")).isEqualTo(value("a"));
        assertThat(sealer(2).open(note("b"), "notes", "b")).isEqualTo(value("b"));
        assertThatThrownBy(() -> sealer(1).open(note("a"), "notes", "a")).isInstanceOf(Sealer.BrokenSealException.class);
        resealing(sealer(2)).checkAtStart("master.key");
        assertThatThrownBy(() -> resealing(sealer(1)).checkAtStart("master.key"))
                .isInstanceOf(Resealing.WrongMasterKeyException.class);
        assertThat(resealing(sealer(2)).resealAll().resealed()).isZero();
    }

    @Test
    void aValueThatOpensUnderNeitherKeyIsReportedAndLeftAsItIs() {
        String foreign = sealer(3).seal(value("a"), "notes", "a");
        put("a", foreign);

        Resealing.Outcome outcome = resealing(Sealer.withKeys(key(2), List.of(key(1)))).resealAll();

        assertThat(outcome.broken()).containsExactly("note a of scope");
        assertThat(note("a")).isEqualTo(foreign);
    }

    private Resealing resealing(Sealer sealer) {
        return new Resealing(store, sealer, List.of(NOTES));
    }

    private void put(String id, String sealed) {
        store.apply(List.of(new Mutation.Put(new Document("note", "scope", id, sealed))));
    }

    private String note(String id) {
        return store.list("note", "scope").stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow().json();
    }

    private static byte[] value(String id) {
        return ("value of " + id).getBytes(StandardCharsets.UTF_8);
    }

    private static Sealer sealer(int fill) {
        return Sealer.withKey(key(fill));
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }
}
