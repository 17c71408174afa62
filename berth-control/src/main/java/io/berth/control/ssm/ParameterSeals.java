package io.berth.control.ssm;

import io.berth.control.Scope;
import io.berth.control.crypto.SealedDocuments;
import io.berth.control.crypto.Sealer;
import io.berth.control.store.Document;
import java.util.Optional;
import java.util.Set;

/** The values of SecureString parameters, sealed again under the current master key. */
final class ParameterSeals implements SealedDocuments {

    @Override
    public Set<String> kinds() {
        return Set.of(Parameters.VERSIONS.name());
    }

    @Override
    public Optional<String> reseal(Document document, Sealer sealer, Lookup others) {
        ParameterVersion version = Parameters.VERSIONS.decoder().apply(document.json());
        if (!version.secure() || sealer.sealedUnderCurrentKey(version.sealedValue())) {
            return Optional.empty();
        }
        String resealed = sealer.reseal(version.sealedValue(), version.keyId(),
                Parameters.sealingContext(Scope.fromKey(document.scope()), version.name(), version.version()));
        return Optional.of(Parameters.VERSIONS.encoder().apply(version.withSealedValue(resealed)));
    }
}
