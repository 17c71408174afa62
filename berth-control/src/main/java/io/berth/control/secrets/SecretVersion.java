package io.berth.control.secrets;

import java.time.Instant;
import java.util.List;

/** One version of a secret as its secret lists it: its id, when it was made, its staging labels (none when deprecated). */
record SecretVersion(String versionId, Instant createdDate, List<String> stages) {

    SecretVersion {
        stages = stages == null ? List.of() : List.copyOf(stages);
    }

    SecretVersion withStages(List<String> replaced) {
        return new SecretVersion(versionId, createdDate, replaced);
    }
}
