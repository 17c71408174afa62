package io.berth.control.ssm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.ssm.model.ParameterTier;

/**
 * What a parameter keeps across its versions: its name, its latest version and that version's
 * tier, and its tags. Each version is a {@link ParameterVersion} of its own.
 */
record StoredParameter(String name, long version, ParameterTier tier, Map<String, String> tags) {

    StoredParameter {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags == null ? Map.of() : tags));
    }

    StoredParameter withVersion(long latest, ParameterTier latestTier) {
        return new StoredParameter(name, latest, latestTier, tags);
    }

    StoredParameter withTags(Map<String, String> replaced) {
        return new StoredParameter(name, version, tier, replaced);
    }
}
