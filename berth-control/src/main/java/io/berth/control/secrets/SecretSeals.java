package io.berth.control.secrets;

import io.berth.control.crypto.SealedDocuments;
import io.berth.control.crypto.Sealer;
import io.berth.control.store.Document;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The values of secrets, sealed again under the current master key; each is sealed for its secret's ARN. */
final class SecretSeals implements SealedDocuments {

    private static final Logger log = LoggerFactory.getLogger(SecretSeals.class);

    @Override
    public Set<String> kinds() {
        return Set.of(Secrets.KIND.name(), Secrets.VALUES.name());
    }

    @Override
    public Optional<String> reseal(Document document, Sealer sealer, Lookup others) {
        if (!document.kind().equals(Secrets.VALUES.name())) {
            return Optional.empty();
        }
        SecretValue value = Secrets.VALUES.decoder().apply(document.json());
        if (sealer.sealedUnderCurrentKey(value.sealed())) {
            return Optional.empty();
        }
        String name = document.id().substring(0, document.id().lastIndexOf('#'));
        Optional<Document> secret = others.find(Secrets.KIND.name(), document.scope(), name);
        if (secret.isEmpty()) {
            log.warn("Secret value {} of {} belongs to no secret; left as it is", document.id(), document.scope());
            return Optional.empty();
        }
        String arn = Secrets.KIND.decoder().apply(secret.get().json()).arn();
        String resealed = sealer.reseal(value.sealed(), value.keyId(), Secrets.sealingContext(arn, value.versionId()));
        return Optional.of(Secrets.VALUES.encoder().apply(
                new SecretValue(value.versionId(), value.keyId(), resealed, value.binary())));
    }
}
