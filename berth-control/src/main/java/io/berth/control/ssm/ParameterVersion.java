package io.berth.control.ssm;

import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * One version of a parameter as stored. A String or StringList keeps its {@code value}; a
 * SecureString keeps only {@code sealedValue}, sealed for its {@code keyId} and this version.
 */
record ParameterVersion(String name, long version, ParameterType type, String value, String sealedValue,
        String keyId, String description, String allowedPattern, ParameterTier tier, String policies,
        String dataType, Instant lastModifiedDate, String lastModifiedUser, List<String> labels) {

    ParameterVersion {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    boolean secure() {
        return type == ParameterType.SECURE_STRING;
    }

    ParameterVersion withSealedValue(String resealed) {
        return new ParameterVersion(name, version, type, value, resealed, keyId, description, allowedPattern, tier,
                policies, dataType, lastModifiedDate, lastModifiedUser, labels);
    }

    ParameterVersion withLabels(List<String> replaced) {
        return new ParameterVersion(name, version, type, value, sealedValue, keyId, description, allowedPattern, tier,
                policies, dataType, lastModifiedDate, lastModifiedUser, replaced);
    }
}
