package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;

/** The one endpoint tells IAM and STS Query requests from ECS JSON ones by form body and signing service. */
class QueryEdgeTest extends ApiTest {

    private static SignedHttp.Answer signed(SignedHttp.Call call, String service) {
        return new SignedHttp(berth.endpoint()).signed(call, service, berth.key().accessKeyId(),
                berth.key().secretAccessKey(), RunningBerth.REGION, Clock.systemUTC());
    }

    @Test
    void anUnsignedQueryRequestIsMissingItsAuthenticationTokenInXml() {
        SignedHttp.Answer answer = new SignedHttp(berth.endpoint())
                .send(SignedHttp.Call.query("Action=ListUsers&Version=2010-05-08"));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.header("Content-Type")).startsWith("text/xml");
        assertThat(answer.body()).startsWith("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code>");
        assertThat(answer.body()).contains("<RequestId>" + answer.header("x-amzn-RequestId") + "</RequestId>");
    }

    @Test
    void anUnknownActionIsInvalidAction() {
        SignedHttp.Answer answer = signed(SignedHttp.Call.query("Action=CreateGroupOfNothing&Version=2010-05-08"), "iam");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("<Code>InvalidAction</Code>",
                "<Message>Could not find operation CreateGroupOfNothing for version 2010-05-08</Message>");
    }

    @Test
    void aSignedGetWithTheActionInTheQueryStringIsAnswered() {
        SignedHttp.Call get = new SignedHttp.Call("GET", "/?Action=ListUsers&Version=2010-05-08", Map.of(), new byte[0]);

        SignedHttp.Answer answer = signed(get, "iam");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).startsWith("<ListUsersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<ListUsersResult><Users");
    }

    @Test
    void stsAnswersInItsNamespace() {
        SignedHttp.Answer answer = signed(SignedHttp.Call.query("Action=GetCallerIdentity&Version=2011-06-15"), "sts");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).startsWith("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
                .contains("<Account>" + berth.accountId() + "</Account>");
    }

    @Test
    void aFormSignedForEcsIsLeftToEcs() {
        SignedHttp.Answer answer = signed(SignedHttp.Call.query("Action=ListUsers"), "ecs");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorType()).isEqualTo("UnknownOperationException");
    }

    @Test
    void aWrongSecretIsSignatureDoesNotMatchAndAnUnknownKeyAnInvalidClientTokenId() {
        try (IamClient forger = berth.iam(AwsBasicCredentials.create(berth.key().accessKeyId(), "not-the-secret"));
                IamClient stranger = berth.iam(AwsBasicCredentials.create("AKIAUNKNOWNUNKNOWN00", "secret"))) {
            assertThatThrownBy(forger::listUsers).isInstanceOfSatisfying(IamException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            });
            assertThatThrownBy(stranger::listUsers).isInstanceOfSatisfying(IamException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
                assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("The security token included in the request is invalid.");
            });
        }
    }
}
