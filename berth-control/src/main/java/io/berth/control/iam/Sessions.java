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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporary credentials of assumed roles, kept in the store so that every server node honours them
 * and they survive a restart, their secret keys sealed and opened once per session and node. Each session is stored under its own key id (one document per scope,
 * found without scanning); an index by expiry lets expired sessions be removed in batches.
 */
final class Sessions {

    private static final Logger log = LoggerFactory.getLogger(Sessions.class);

    static final Kind<StoredSession> KIND = Kinds.json("iam-session", StoredSession.class);
    static final String EXPIRY_INDEX = "iam-session-expiry";
    private static final String GLOBAL = "global";
    private static final Duration NEGATIVE_CACHE_TTL = Duration.ofSeconds(5);
    private static final Duration PURGE_PERIOD = Duration.ofMinutes(10);
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private record Cached(Optional<SessionKey> session, Instant until) {
    }

    private final Store store;
    private final Sealer sealer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile Instant nextPurge = Instant.MIN;

    Sessions(Store store, Sealer sealer, Clock clock) {
        this.store = store;
        this.sealer = sealer;
        this.clock = clock;
    }

    /** New credentials acting as the assumed role until the expiration, durable when this returns. */
    SessionCredentials create(String accountId, String roleArn, String roleId, String assumedRoleArn,
            String sessionName, Duration duration) {
        purgeExpiredNowAndThen();
        Instant expiration = clock.instant().plus(duration).truncatedTo(ChronoUnit.SECONDS);
        String accessKeyId = "ASIA" + randomString(ID_ALPHABET, 16);
        String secret = randomString(SECRET_ALPHABET, 40);
        byte[] tokenBytes = new byte[96];
        random.nextBytes(tokenBytes);
        String token = Base64.getEncoder().encodeToString(tokenBytes);
        SessionKey session = new SessionKey(accessKeyId, secret, accountId, assumedRoleArn, roleArn,
                roleId + ":" + sessionName, expiration, SessionKey.digest(token));
        store.apply(List.of(
                new Mutation.Put(new Document(KIND.name(), accessKeyId, accessKeyId, KIND.encoder().apply(StoredSession.sealed(session, sealer)))),
                new Mutation.Put(new Document(EXPIRY_INDEX, GLOBAL, expiryId(expiration, accessKeyId), "{}"))));
        cache.put(accessKeyId, new Cached(Optional.of(session), expiration));
        return new SessionCredentials(accessKeyId, secret, token, expiration, roleArn, assumedRoleArn);
    }

    /** The session of a temporary key id, expired or not; unknown ids are remembered briefly. */
    Optional<SessionKey> find(String accessKeyId) {
        Instant now = clock.instant();
        Cached cached = cache.get(accessKeyId);
        if (cached != null && (cached.session().isPresent() || now.isBefore(cached.until()))) {
            return cached.session();
        }
        Optional<SessionKey> session = store.list(KIND.name(), accessKeyId).stream().findFirst()
                .flatMap(this::openedForSigning);
        cache.put(accessKeyId, new Cached(session, session.map(SessionKey::expiration)
                .orElse(now.plus(NEGATIVE_CACHE_TTL))));
        if (cache.size() > 100_000) {
            cache.values().removeIf(c -> now.isAfter(c.until()));
        }
        return session;
    }

    /** The session to check a signature with; one whose secret does not open signs nothing. */
    private Optional<SessionKey> openedForSigning(Document document) {
        try {
            return Optional.of(KIND.decoder().apply(document.json()).opened(sealer));
        } catch (Sealer.BrokenSealException e) {
            log.error("The secret of session {} does not open: {}", document.id(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Removes sessions that expired more than an hour ago, at most every {@link #PURGE_PERIOD}. */
    private void purgeExpiredNowAndThen() {
        Instant now = clock.instant();
        if (now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(PURGE_PERIOD);
        String before = expiryId(now.minus(Duration.ofHours(1)), "");
        List<Mutation> deletions = new ArrayList<>();
        for (Document entry : store.list(EXPIRY_INDEX, GLOBAL)) {
            if (entry.id().compareTo(before) >= 0) {
                break;
            }
            String accessKeyId = entry.id().substring(entry.id().indexOf('/') + 1);
            deletions.add(new Mutation.Delete(KIND.name(), accessKeyId, accessKeyId));
            deletions.add(new Mutation.Delete(EXPIRY_INDEX, GLOBAL, entry.id()));
            cache.remove(accessKeyId);
        }
        if (!deletions.isEmpty()) {
            store.apply(deletions);
        }
    }

    private static String expiryId(Instant expiration, String accessKeyId) {
        return String.format("%013d/%s", expiration.toEpochMilli(), accessKeyId);
    }

    private String randomString(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
