package io.berth.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.model.EcsException;
import org.junit.jupiter.api.Test;

/** Authentication errors carry the names and statuses IAM and STS give them. */
class QueryErrorNamesTest {

    private static EcsException renamed(String jsonCode, int status) {
        return QueryHandler.asQueryError(new EcsException(jsonCode, status, "m"));
    }

    @Test
    void authenticationErrorsAreRenamed() {
        assertThat(renamed("UnrecognizedClientException", 400)).satisfies(e -> {
            assertThat(e.code()).isEqualTo("InvalidClientTokenId");
            assertThat(e.httpStatus()).isEqualTo(403);
        });
        assertThat(renamed("InvalidSignatureException", 400)).satisfies(e -> {
            assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
            assertThat(e.httpStatus()).isEqualTo(403);
        });
        assertThat(renamed("ExpiredTokenException", 400)).satisfies(e -> {
            assertThat(e.code()).isEqualTo("ExpiredToken");
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("m");
        });
        assertThat(renamed("MissingAuthenticationTokenException", 403).code()).isEqualTo("MissingAuthenticationToken");
        assertThat(renamed("IncompleteSignatureException", 400).code()).isEqualTo("IncompleteSignature");
    }

    @Test
    void otherErrorsPassUnchanged() {
        EcsException noSuchEntity = new EcsException("NoSuchEntity", 404, "gone");

        assertThat(QueryHandler.asQueryError(noSuchEntity)).isSameAs(noSuchEntity);
    }
}
