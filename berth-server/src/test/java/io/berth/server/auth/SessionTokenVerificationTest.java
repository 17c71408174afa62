package io.berth.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/** Temporary credentials: honoured with their token until they expire, refused otherwise. */
class SessionTokenVerificationTest {

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
        return new SigV4Verifier(new AccessKeys(NO_KEYS, clock),
                id -> id.equals(session.accessKeyId()) ? Optional.of(session) : Optional.empty(), clock);
    }

    private static SessionKey session(Instant expiration) throws Exception {
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        return new SessionKey("ASIAEXAMPLEEXAMPLE00", "session-secret", "123456789012", SESSION_ARN,
                "arn:aws:iam::123456789012:role/app", "AROAEXAMPLE:s1", expiration, digest);
    }

    /** A request signed with the session's secret, carrying the given token (or none). */
    private static SignedRequest signed(SessionKey session, String token) {
        String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(NOW);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of("localhost"));
        headers.put("x-amz-date", List.of(amzDate));
        if (token != null) {
            headers.put("x-amz-security-token", List.of(token));
        }
        List<String> signedHeaders = List.copyOf(headers.keySet());
        SigV4Verifier.Authorization authorization = new SigV4Verifier.Authorization(session.accessKeyId(),
                amzDate.substring(0, 8), "us-east-1", "ecs", signedHeaders, "");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        SignedRequest unsigned = new SignedRequest("POST", "/", null, headers, body);
        String signature = SigV4Verifier.signature(session.secretAccessKey(), authorization, amzDate, unsigned);
        headers.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=" + session.accessKeyId() + "/"
                + authorization.credentialScope() + ", SignedHeaders=" + String.join(";", signedHeaders) + ", Signature=" + signature));
        return new SignedRequest("POST", "/", null, headers, body);
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
