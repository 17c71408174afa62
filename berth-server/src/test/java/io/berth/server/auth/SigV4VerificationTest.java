package io.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.crypto.Sealer;
import io.berth.control.iam.AccessKeys;
import io.berth.control.iam.SessionKey;
import io.berth.control.store.Document;
import io.berth.control.store.Mutation;
import io.berth.control.store.Store;
import io.berth.model.EcsException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * SigV4 verification: temporary credentials are honoured with their token until they expire; a signature covers
 * the body received, the day and service of its scope and the host.
 */
class SigV4VerificationTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String TOKEN = "the-session-token";
    private static final String SESSION_ARN = "arn:aws:sts::123456789012:assumed-role/app/s1";

    /** A store without any long-term keys. */
    private static final Store NO_KEYS = new Store() {
        @Override
        public void apply(List<Mutation> batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void loadAll(Consumer<Document> sink) {
        }

        @Override
        public List<Document> list(String kind, String scope) {
            return List.of();
        }

        @Override
        public void close() {
        }
    };

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private SigV4Verifier verifierWith(SessionKey session) {
        return new SigV4Verifier(new AccessKeys(NO_KEYS, Sealer.withKey(new byte[32]), clock),
                id -> id.equals(session.accessKeyId()) ? Optional.of(session) : Optional.empty(), clock);
    }

    private static SessionKey session(Instant expiration) throws Exception {
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        return new SessionKey("ASIAEXAMPLEEXAMPLE00", "session-secret", "123456789012", SESSION_ARN,
                "arn:aws:iam::123456789012:role/app", "AROAEXAMPLE:s1", expiration, digest);
    }

    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    /**
     * How a test request is signed: for {@code service} in {@code region} on {@code scopeDate} (null: the request's
     * day), with or without {@code host} among the signed headers and an {@code x-amz-content-sha256} header of
     * the signed body; {@code sentBody} is what is then sent (null: the body signed).
     */
    private record Spec(String service, String region, String scopeDate, boolean signHost, boolean claimHash,
            byte[] sentBody) {

        static Spec ecs() {
            return new Spec("ecs", "us-east-1", null, true, false, null);
        }
    }

    /** A request signed with the session's secret, carrying the given token (or none). */
    private static SignedRequest signed(SessionKey session, String token) {
        return signed(session, token, Spec.ecs());
    }

    private static SignedRequest signed(SessionKey session, String token, Spec spec) {
        String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(NOW);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (spec.signHost()) {
            headers.put("host", List.of("localhost"));
        }
        headers.put("x-amz-date", List.of(amzDate));
        if (spec.claimHash()) {
            headers.put("x-amz-content-sha256", List.of(sha256(BODY)));
        }
        if (token != null) {
            headers.put("x-amz-security-token", List.of(token));
        }
        List<String> signedHeaders = List.copyOf(headers.keySet());
        SigV4Verifier.Authorization authorization = new SigV4Verifier.Authorization(session.accessKeyId(),
                spec.scopeDate() == null ? amzDate.substring(0, 8) : spec.scopeDate(), spec.region(), spec.service(),
                signedHeaders, "");
        SignedRequest unsigned = new SignedRequest("POST", "/", null, headers, BODY);
        String signature = SigV4Verifier.signature(session.secretAccessKey(), authorization, amzDate, unsigned);
        headers.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=" + session.accessKeyId() + "/"
                + authorization.credentialScope() + ", SignedHeaders=" + String.join(";", signedHeaders) + ", Signature=" + signature));
        if (!spec.signHost()) {
            headers.put("host", List.of("localhost"));
        }
        return new SignedRequest("POST", "/", null, headers, spec.sentBody() == null ? BODY : spec.sentBody());
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertRefused(SessionKey session, SignedRequest request, String message) {
        assertThatThrownBy(() -> verifierWith(session).verify(request))
                .isInstanceOfSatisfying(EcsException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidSignatureException");
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void aSignatureCoversTheBodyReceivedNotTheHashAHeaderClaims() throws Exception {
        SessionKey session = session(NOW.plusSeconds(900));
        Spec claimed = new Spec("ecs", "us-east-1", null, true, true, null);

        assertThat(verifierWith(session).verify(signed(session, TOKEN, claimed)).principalArn()).isEqualTo(SESSION_ARN);
        assertRefused(session, signed(session, TOKEN, new Spec("ecs", "us-east-1", null, true, true,
                "{\"cluster\":\"other\"}".getBytes(StandardCharsets.UTF_8))), "x-amz-content-sha256");
        assertRefused(session, signed(session, TOKEN, new Spec("ecs", "us-east-1", null, true, false,
                "{\"cluster\":\"other\"}".getBytes(StandardCharsets.UTF_8))), "does not match");
    }

    @Test
    void theScopesDayMustBeTheDayTheRequestWasSigned() throws Exception {
        SessionKey session = session(NOW.plusSeconds(900));

        assertRefused(session, signed(session, TOKEN, new Spec("ecs", "us-east-1", "20261124", true, false, null)),
                "Date in Credential scope does not match");
    }

    @Test
    void theRegionOfTheScopeMustBeAName() throws Exception {
        SessionKey session = session(NOW.plusSeconds(900));

        assertRefused(session, signed(session, TOKEN, new Spec("ecs", "evil:region", null, true, false, null)),
                "valid region");
        assertThat(verifierWith(session).verify(signed(session, TOKEN, new Spec("ecs", "dc1", null, true, false, null)))
                .region()).isEqualTo("dc1");
    }

    @Test
    void theHostMustBeSigned() throws Exception {
        SessionKey session = session(NOW.plusSeconds(900));

        assertRefused(session, signed(session, TOKEN, new Spec("ecs", "us-east-1", null, false, false, null)),
                "'Host' or ':authority' must be a 'SignedHeader'");
    }

    @Test
    void theTargetOperationMustBeSignedSoARequestCannotBeReplayedAsAnother() throws Exception {
        SessionKey session = session(NOW.plusSeconds(900));
        SignedRequest listTasks = signed(session, TOKEN);
        Map<String, List<String>> headers = new LinkedHashMap<>(listTasks.headers());
        headers.put("x-amz-target", List.of("AmazonEC2ContainerServiceV20141113.DeleteCluster"));
        SignedRequest replayed = new SignedRequest("POST", "/", null, headers, listTasks.body());

        assertRefused(session, replayed, "'X-Amz-Target' must be a 'SignedHeader'");
    }

    @Test
    void aRequestSignedForAnotherServiceIsRefusedWhereTheServiceIsKnown() throws Exception {
        SessionKey session = session(NOW.plusSeconds(900));
        SignedRequest forIam = signed(session, TOKEN, new Spec("iam", "us-east-1", null, true, false, null));

        assertThat(verifierWith(session).verify(forIam).principalArn()).isEqualTo(SESSION_ARN);
        assertThatThrownBy(() -> SigV4Verifier.requireService(forIam, "ecs"))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("Credential should be scoped to correct service: 'ecs'."));
    }

    @Test
    void aSessionWithItsTokenActsAsTheAssumedRole() throws Exception {
        SessionKey session = session(NOW.plusSeconds(900));

        Identity identity = verifierWith(session).verify(signed(session, TOKEN));

        assertThat(identity.principalArn()).isEqualTo(SESSION_ARN);
        assertThat(identity.accountId()).isEqualTo("123456789012");
    }

    @Test
    void anExpiredSessionIsRefusedAsExpired() throws Exception {
        SessionKey session = session(NOW.minusSeconds(1));

        assertThatThrownBy(() -> verifierWith(session).verify(signed(session, TOKEN)))
                .isInstanceOfSatisfying(EcsException.class, e -> {
                    assertThat(e.code()).isEqualTo("ExpiredTokenException");
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("The security token included in the request is expired");
                });
    }

    @Test
    void aMissingOrForeignTokenIsInvalid() throws Exception {
        SessionKey session = session(NOW.plusSeconds(900));

        for (String token : new String[] {null, TOKEN + "x"}) {
            assertThatThrownBy(() -> verifierWith(session).verify(signed(session, token)))
                    .isInstanceOfSatisfying(EcsException.class, e -> {
                        assertThat(e.code()).isEqualTo("UnrecognizedClientException");
                        assertThat(e.getMessage()).isEqualTo("The security token included in the request is invalid.");
                    });
        }
    }
}
