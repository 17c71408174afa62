package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsException;

class AuthTest {

    private static final String LIST_CLUSTERS = SignedHttp.TARGET_PREFIX + "ListClusters";

    @TempDir
    static Path dataDir;
    static RunningBerth berth;
    static SignedHttp http;

    @BeforeAll
    static void start() {
        berth = RunningBerth.start(dataDir);
        http = new SignedHttp(berth.endpoint());
    }

    @AfterAll
    static void stop() {
        berth.close();
    }

    @Test
    void anUnsignedRequestIsRefusedWithMissingAuthenticationToken() {
        SignedHttp.Answer answer = http.send(SignedHttp.Call.ecs(LIST_CLUSTERS, "{}"));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorType()).isEqualTo("MissingAuthenticationTokenException");
        assertThat(answer.header("x-amzn-ErrorType")).isEqualTo("MissingAuthenticationTokenException");
    }

    @Test
    void anUnknownAccessKeyIsUnrecognized() {
        try (EcsClient stranger = berth.ecs(RunningBerth.REGION, "AKIAUNKNOWNUNKNOWN00", "secret")) {
            assertThatThrownBy(stranger::listClusters).isInstanceOfSatisfying(EcsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
        }
    }

    @Test
    void aWrongSecretIsAnInvalidSignature() {
        try (EcsClient forger = berth.ecs(RunningBerth.REGION, berth.key().accessKeyId(), "not-the-secret")) {
            assertThatThrownBy(forger::listClusters).isInstanceOfSatisfying(EcsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
        }
    }

    @Test
    void aRequestSignedTwentyMinutesAgoHasExpired() {
        Clock twentyMinutesAgo = Clock.fixed(Instant.now().minus(Duration.ofMinutes(20)), ZoneOffset.UTC);

        SignedHttp.Answer answer = http.signed(SignedHttp.Call.ecs(LIST_CLUSTERS, "{}"), berth.key().accessKeyId(),
                berth.key().secretAccessKey(), RunningBerth.REGION, twentyMinutesAgo);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorType()).isEqualTo("InvalidSignatureException");
        assertThat(answer.json().get("message").asText()).startsWith("Signature expired");
    }

    @Test
    void theSameRequestSignedNowSucceeds() {
        SignedHttp.Answer answer = signedNow(SignedHttp.Call.ecs(LIST_CLUSTERS, "{}"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().has("clusterArns")).isTrue();
    }

    @Test
    void theRegionComesFromTheCredentialScope() {
        try (EcsClient west = berth.ecs("us-west-2"); EcsClient east = berth.ecs("us-east-1")) {
            String arn = west.createCluster(r -> r.clusterName("auth-west")).cluster().clusterArn();

            assertThat(arn).startsWith("arn:aws:ecs:us-west-2:");
            assertThat(west.listClusters().clusterArns()).contains(arn);
            assertThat(east.listClusters().clusterArns()).noneMatch(a -> a.endsWith(":cluster/auth-west"));
            assertThat(east.describeClusters(r -> r.clusters("auth-west")).failures()).hasSize(1);
        }
    }

    @Test
    void theEucalyptusServicePathAnswersToo() {
        SignedHttp.Answer answer = signedNow(SignedHttp.Call.ecs(LIST_CLUSTERS, "{}").withPath("/services/Container"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().has("clusterArns")).isTrue();
    }

    @Test
    void everyAnswerCarriesARequestId() {
        SignedHttp.Call listClusters = SignedHttp.Call.ecs(LIST_CLUSTERS, "{}");

        assertThat(signedNow(listClusters).header("x-amzn-RequestId")).isNotBlank();
        assertThat(http.send(listClusters).header("x-amzn-RequestId")).isNotBlank();
        assertThat(signedNow(SignedHttp.Call.ecs(SignedHttp.TARGET_PREFIX + "NoSuchOperation", "{}"))
                .header("x-amzn-RequestId")).isNotBlank();
        assertThat(signedNow(SignedHttp.Call.ecs(LIST_CLUSTERS, "{").withPath("/services/Container"))
                .header("x-amzn-RequestId")).isNotBlank();
    }

    @Test
    void resetDoesNotExistOutsideDevelopmentMode() {
        SignedHttp.Answer answer = http.send(new SignedHttp.Call("POST", "/_berth/reset", java.util.Map.of(),
                new byte[0]));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.header("x-amzn-RequestId")).isNotBlank();
    }

    private static SignedHttp.Answer signedNow(SignedHttp.Call call) {
        return http.signed(call, berth.key().accessKeyId(), berth.key().secretAccessKey(), RunningBerth.REGION);
    }
}
