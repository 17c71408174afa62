package io.berth.control.iam;

import io.berth.control.crypto.Sealer;
import io.berth.control.state.Kind;
import io.berth.control.state.Kinds;
import io.berth.control.store.Document;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.regex.Pattern;

/**
 * Access keys, kept straight in the store so that {@code berth keys} can change them beside a running
 * server, their secret keys sealed under the master key. Lookups are cached briefly; a key deleted from the
 * command line stops working within {@link #CACHE_TTL}. A key read again unchanged is not opened again.
 */
public final class AccessKeys {

    private static final Logger log = LoggerFactory.getLogger(AccessKeys.class);

    public static final Duration CACHE_TTL = Duration.ofSeconds(5);
    /** Access key ids as IAM makes them: 16 to 128 letters and digits. */
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9]{16,128}");
    private static final int MAX_CACHED = 10_000;
    static final Kind<StoredAccessKey> KIND = Kinds.json("access-key", StoredAccessKey.class);
    static final Kind<Account> ACCOUNT = Kinds.json("account", Account.class);
    private static final String GLOBAL = "global";
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** An account: the unit that owns resources and keys. */
    public record Account(String accountId, Instant created) {
    }

    private record Cached(Optional<AccessKey> key, String storedJson, Instant until) {
    }

    private final Store store;
    private final Sealer sealer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public AccessKeys(Store store, Sealer sealer, Clock clock) {
        this.store = store;
        this.sealer = sealer;
        this.clock = clock;
    }

    /** The account of this installation, created on first use with the given id or a random one. */
    public Account account(String requestedAccountId) {
        List<Document> accounts = store.list(ACCOUNT.name(), GLOBAL);
        if (requestedAccountId != null) {
            Optional<Document> existing = accounts.stream().filter(d -> d.id().equals(requestedAccountId)).findFirst();
            if (existing.isPresent()) {
                return ACCOUNT.decoder().apply(existing.get().json());
            }
        } else if (!accounts.isEmpty()) {
            return ACCOUNT.decoder().apply(accounts.get(0).json());
        }
        String id = requestedAccountId != null ? requestedAccountId : randomDigits(12);
        Account account = new Account(id, clock.instant());
        store.apply(List.of(new Mutation.Put(new Document(ACCOUNT.name(), GLOBAL, id, ACCOUNT.encoder().apply(account)))));
        return account;
    }

    /** A new key for the account's root principal. */
    public AccessKey create(String accountId) {
        return create(accountId, "arn:aws:iam::" + accountId + ":root");
    }

    public AccessKey create(String accountId, String principalArn) {
        AccessKey key = new AccessKey("AKIA" + randomString(ID_ALPHABET, 16), randomString(SECRET_ALPHABET, 40),
                accountId, principalArn, AccessKey.ACTIVE, clock.instant());
        store.apply(List.of(new Mutation.Put(new Document(KIND.name(), GLOBAL, key.accessKeyId(),
                KIND.encoder().apply(StoredAccessKey.sealed(key, sealer))))));
        cache.remove(key.accessKeyId());
        return key;
    }

    /** Every key with its secret, opened. */
    public List<AccessKey> list() {
        return store.list(KIND.name(), GLOBAL).stream().map(this::opened).toList();
    }

    /** The keys of one principal of an account, with their secrets; only theirs are opened. */
    public List<AccessKey> listOf(String accountId, String principalArn) {
        return store.list(KIND.name(), GLOBAL).stream()
                .map(d -> KIND.decoder().apply(d.json()))
                .filter(k -> k.accountId().equals(accountId) && k.principalArn().equals(principalArn))
                .map(k -> k.opened(sealer))
                .toList();
    }

    /** The sealer secret keys are sealed with; temporary credentials share it. */
    Sealer sealer() {
        return sealer;
    }

    /** Deletes a key; answers whether it existed. */
    public boolean delete(String accessKeyId) {
        boolean existed = store.list(KIND.name(), GLOBAL).stream().anyMatch(d -> d.id().equals(accessKeyId));
        store.apply(List.of(new Mutation.Delete(KIND.name(), GLOBAL, accessKeyId)));
        cache.remove(accessKeyId);
        return existed;
    }

    /** Makes a key active or inactive; answers whether it existed. */
    public boolean setStatus(String accessKeyId, String status) {
        while (true) {
            Optional<Document> stored = store.list(KIND.name(), GLOBAL).stream()
                    .filter(d -> d.id().equals(accessKeyId))
                    .findFirst();
            if (stored.isEmpty()) {
                return false;
            }
            StoredAccessKey changed = KIND.decoder().apply(stored.get().json()).withStatus(status, sealer);
            // Written over the version read: a key deleted or changed meanwhile is read again, never brought back.
            if (store.compareAndPut(new Document(KIND.name(), GLOBAL, accessKeyId, KIND.encoder().apply(changed)),
                    stored.get().json())) {
                cache.remove(accessKeyId);
                return true;
            }
        }
    }

    /** The active key with this id, if any. */
    public Optional<AccessKey> find(String accessKeyId) {
        if (accessKeyId == null || !KEY_ID.matcher(accessKeyId).matches()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Cached cached = cache.get(accessKeyId);
        if (cached == null || now.isAfter(cached.until())) {
            if (cache.size() >= MAX_CACHED) {
                // Requests signed with made-up key ids must not grow the cache without end.
                cache.values().removeIf(c -> c.key().isEmpty() || now.isAfter(c.until()));
            }
            Optional<Document> stored = store.list(KIND.name(), GLOBAL).stream()
                    .filter(d -> d.id().equals(accessKeyId))
                    .findFirst();
            String json = stored.map(Document::json).orElse(null);
            // Signature checks need the secret in the clear: it is opened when it changed, not every few seconds.
            Optional<AccessKey> key = cached != null && json != null && json.equals(cached.storedJson())
                    ? cached.key()
                    : stored.flatMap(this::openedForSigning);
            cached = new Cached(key, json, now.plus(CACHE_TTL));
            cache.put(accessKeyId, cached);
        }
        return cached.key().filter(AccessKey::active);
    }

    /** The key to check a signature with; one whose secret does not open signs nothing. */
    private Optional<AccessKey> openedForSigning(Document document) {
        try {
            return Optional.of(opened(document));
        } catch (Sealer.BrokenSealException e) {
            log.error("The secret of access key {} does not open: {}", document.id(), e.getMessage());
            return Optional.empty();
        }
    }

    private AccessKey opened(Document document) {
        return KIND.decoder().apply(document.json()).opened(sealer);
    }

    private String randomString(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private String randomDigits(int length) {
        StringBuilder out = new StringBuilder(length);
        out.append(1 + random.nextInt(9));
        while (out.length() < length) {
            out.append(random.nextInt(10));
        }
        return out.toString();
    }
}
