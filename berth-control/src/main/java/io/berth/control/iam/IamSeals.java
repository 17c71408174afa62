package io.berth.control.iam;

import io.berth.control.crypto.SealedDocuments;
import io.berth.control.crypto.Sealer;
import io.berth.control.store.Document;
import java.util.Optional;
import java.util.Set;

/** The secret keys of access keys and of temporary credentials, sealed again under the current master key. */
final class IamSeals implements SealedDocuments {

    @Override
    public Set<String> kinds() {
        return Set.of(AccessKeys.KIND.name(), Sessions.KIND.name());
    }

    @Override
    public Optional<String> reseal(Document document, Sealer sealer, Lookup others) {
        if (document.kind().equals(AccessKeys.KIND.name())) {
            StoredAccessKey key = AccessKeys.KIND.decoder().apply(document.json());
            return key.needsSealing(sealer)
                    ? Optional.of(AccessKeys.KIND.encoder().apply(StoredAccessKey.sealed(key.opened(sealer), sealer)))
                    : Optional.empty();
        }
        StoredSession session = Sessions.KIND.decoder().apply(document.json());
        return session.needsSealing(sealer)
                ? Optional.of(Sessions.KIND.encoder().apply(StoredSession.sealed(session.opened(sealer), sealer)))
                : Optional.empty();
    }
}
