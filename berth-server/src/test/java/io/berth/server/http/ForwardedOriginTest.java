package io.berth.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.access.RequestOrigin;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The origin a follower states for a request it forwards counts only when it verifies, and only for that request. */
class ForwardedOriginTest {

    private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKID/20261207/us-east-1/ecs/aws4_request, "
            + "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123abcd";
    private static final RequestOrigin FOLLOWER = new RequestOrigin("10.0.0.2", false);

    private final ForwardedOrigin nodes = new ForwardedOrigin(key("shared"));

    private static byte[] key(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theClientsAddressAndTransportStatedByANodeCount() {
        String stated = nodes.header("203.0.113.7", true, AUTHORIZATION);

        assertThat(nodes.of(FOLLOWER, stated, AUTHORIZATION)).isEqualTo(new RequestOrigin("203.0.113.7", true));
    }

    @Test
    void withoutAStatementTheConnectionCounts() {
        assertThat(nodes.of(FOLLOWER, null, AUTHORIZATION)).isEqualTo(FOLLOWER);
    }

    @Test
    void aStatementMadeWithAnotherKeyIsIgnored() {
        String forged = new ForwardedOrigin(key("guessed")).header("203.0.113.7", true, AUTHORIZATION);

        assertThat(nodes.of(FOLLOWER, forged, AUTHORIZATION)).isEqualTo(FOLLOWER);
    }

    @Test
    void aStatementMovedToAnotherRequestIsIgnored() {
        String stated = nodes.header("203.0.113.7", true, AUTHORIZATION);

        assertThat(nodes.of(FOLLOWER, stated, AUTHORIZATION.replace("0123abcd", "99999999"))).isEqualTo(FOLLOWER);
    }

    @Test
    void anAlteredAddressOrMalformedStatementIsIgnored() {
        String stated = nodes.header("203.0.113.7", true, AUTHORIZATION);

        assertThat(nodes.of(FOLLOWER, stated.replace("203.0.113.7", "198.51.100.1"), AUTHORIZATION)).isEqualTo(FOLLOWER);
        assertThat(nodes.of(FOLLOWER, stated.replace(";true;", ";maybe;"), AUTHORIZATION)).isEqualTo(FOLLOWER);
        assertThat(nodes.of(FOLLOWER, "garbage", AUTHORIZATION)).isEqualTo(FOLLOWER);
    }
}
