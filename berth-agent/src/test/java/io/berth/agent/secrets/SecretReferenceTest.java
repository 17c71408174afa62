package io.berth.agent.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretReferenceTest {

    private static final String SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf";

    @Test
    void aPlainNameIsAnSsmParameterOfTheTasksRegion() {
        assertThat(SecretReference.parse("/prod/db/password", "us-east-1"))
                .isEqualTo(new SecretReference.Parameter("/prod/db/password", "us-east-1", "/prod/db/password"));
        assertThat(SecretReference.parse("simple:3", "us-east-1"))
                .isEqualTo(new SecretReference.Parameter("simple:3", "us-east-1", "simple:3"));
    }

    @Test
    void anSsmArnIsAskedForAsItIsInTheRegionItNames() {
        String arn = "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db/user";

        assertThat(SecretReference.parse(arn, "us-east-1")).isEqualTo(new SecretReference.Parameter(arn, "eu-west-1",
                arn));
    }

    @Test
    void aSecretsManagerArnMayEndInJsonKeyVersionStageAndVersionId() {
        assertThat(SecretReference.parse(SECRET, "us-east-1"))
                .isEqualTo(new SecretReference.Secret(SECRET, "eu-west-1", SECRET, null, null, null));
        assertThat(SecretReference.parse(SECRET + ":password::", "us-east-1"))
                .isEqualTo(new SecretReference.Secret(SECRET + ":password::", "eu-west-1", SECRET, "password", null,
                        null));
        assertThat(SecretReference.parse(SECRET + "::AWSPREVIOUS:", "us-east-1"))
                .isEqualTo(new SecretReference.Secret(SECRET + "::AWSPREVIOUS:", "eu-west-1", SECRET, null,
                        "AWSPREVIOUS", null));
        assertThat(SecretReference.parse(SECRET + ":user::v7", "us-east-1"))
                .isEqualTo(new SecretReference.Secret(SECRET + ":user::v7", "eu-west-1", SECRET, "user", null, "v7"));
    }

    @Test
    void malformedReferencesAreRefusedSayingWhy() {
        assertThatThrownBy(() -> SecretReference.parse(SECRET + ":password", "us-east-1"))
                .hasMessage("an invalid ARN format for the AWS Secrets Manager secret was specified. Specify a valid "
                        + "ARN and try again.");
        assertThatThrownBy(() -> SecretReference.parse("arn:aws:s3:::bucket/key", "us-east-1"))
                .hasMessageContaining("names neither an SSM parameter nor a Secrets Manager secret");
        assertThatThrownBy(() -> SecretReference.parse("arn:aws:ssm:us-east-1:1:document/x", "us-east-1"))
                .hasMessageContaining("not the ARN of an SSM parameter");
        assertThatThrownBy(() -> SecretReference.parse("arn:aws", "us-east-1")).hasMessageContaining("not a valid ARN");
        assertThatThrownBy(() -> SecretReference.parse(" ", "us-east-1")).hasMessageContaining("empty valueFrom");
    }
}
