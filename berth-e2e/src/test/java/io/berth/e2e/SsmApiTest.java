package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterHistoryResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.HierarchyLevelLimitExceededException;
import software.amazon.awssdk.services.ssm.model.InvalidFilterKeyException;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterHistory;
import software.amazon.awssdk.services.ssm.model.ParameterMetadata;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterPatternMismatchException;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.ParameterVersionNotFoundException;
import software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.Tag;

/** Parameter Store through the real SDK {@code SsmClient}, signed for {@code ssm}, as root and as a restricted user. */
class SsmApiTest extends ApiTest {

    private static final String READ_APP_ONLY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:GetParameters"],
               "Resource": "arn:aws:ssm:*:*:parameter/app/*"}]}""";

    static SsmClient ssm;
    static SsmClient reader;

    @BeforeAll
    static void clients() {
        ssm = berth.ssm();
        try (IamClient iam = berth.iam()) {
            iam.createUser(r -> r.userName("ssm-reader"));
            iam.putUserPolicy(r -> r.userName("ssm-reader").policyName("read-app").policyDocument(READ_APP_ONLY));
            AccessKey key = iam.createAccessKey(r -> r.userName("ssm-reader")).accessKey();
            reader = berth.ssm(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
        }
    }

    @AfterAll
    static void closeClients() {
        ssm.close();
        reader.close();
    }

    @Test
    void aSecureStringIsPutVersionedAndReadBackDecrypted() {
        ssm.putParameter(r -> r.name("/app/db/password").value("first-pw").type(ParameterType.SECURE_STRING));
        long version = ssm.putParameter(r -> r.name("/app/db/password").value("second-pw").overwrite(true)).version();

        Parameter decrypted = ssm.getParameter(r -> r.name("/app/db/password").withDecryption(true)).parameter();
        Parameter sealed = ssm.getParameter(r -> r.name("/app/db/password")).parameter();
        Parameter first = ssm.getParameter(r -> r.name("/app/db/password:1").withDecryption(true)).parameter();

        assertThat(version).isEqualTo(2);
        assertThat(decrypted.value()).isEqualTo("second-pw");
        assertThat(decrypted.arn()).isEqualTo("arn:aws:ssm:us-east-1:" + berth.accountId() + ":parameter/app/db/password");
        assertThat(sealed.value()).doesNotContain("second-pw");
        assertThat(first.value()).isEqualTo("first-pw");
        assertThat(first.selector()).isEqualTo(":1");
    }

    @Test
    void errorsComeAsTheSdksExceptions() {
        ssm.putParameter(r -> r.name("/err/p").value("123").type(ParameterType.STRING).allowedPattern("^\\d+$"));

        assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/err/none"))).isInstanceOf(ParameterNotFoundException.class);
        assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/err/p:9"))).isInstanceOf(ParameterVersionNotFoundException.class);
        assertThatThrownBy(() -> ssm.putParameter(r -> r.name("/err/p").value("1").type(ParameterType.STRING)))
                .isInstanceOf(ParameterAlreadyExistsException.class);
        assertThatThrownBy(() -> ssm.putParameter(r -> r.name("/err/p").value("abc").overwrite(true)))
                .isInstanceOf(ParameterPatternMismatchException.class).hasMessageNotContaining("abc");
        assertThatThrownBy(() -> ssm.putParameter(r -> r.name("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16").value("v")
                .type(ParameterType.STRING))).isInstanceOf(HierarchyLevelLimitExceededException.class);
        assertThatThrownBy(() -> ssm.describeParameters(r -> r.parameterFilters(
                ParameterStringFilter.builder().key("Colour").values("x").build())))
                .isInstanceOf(InvalidFilterKeyException.class);
        assertThatThrownBy(() -> ssm.putParameter(r -> r.name("bad name").value("v").type(ParameterType.STRING)))
                .isInstanceOfSatisfying(SsmException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void getParametersByPathPagesThroughTheSdksPaginator() {
        for (int i = 0; i < 23; i++) {
            int n = i;
            ssm.putParameter(r -> r.name("/paged/p" + n).value("v" + n).type(ParameterType.STRING));
        }
        ssm.putParameter(r -> r.name("/paged/deeper/q").value("q").type(ParameterType.STRING));

        List<String> oneLevel = ssm.getParametersByPathPaginator(r -> r.path("/paged").maxResults(5)).stream()
                .flatMap(page -> page.parameters().stream()).map(Parameter::name).toList();
        List<String> recursive = ssm.getParametersByPathPaginator(r -> r.path("/paged").recursive(true)).stream()
                .flatMap(page -> page.parameters().stream()).map(Parameter::name).toList();

        assertThat(oneLevel).hasSize(23).doesNotHaveDuplicates();
        assertThat(recursive).hasSize(24).contains("/paged/deeper/q");
    }

    @Test
    void getParametersDescribeHistoryLabelsTagsAndDeletion() {
        ssm.putParameter(r -> r.name("/misc/a").value("1").type(ParameterType.STRING)
                .tags(Tag.builder().key("team").value("blue").build()));
        ssm.putParameter(r -> r.name("/misc/a").value("2").overwrite(true));
        ssm.labelParameterVersion(r -> r.name("/misc/a").parameterVersion(1L).labels("first"));

        GetParametersResponse got = ssm.getParameters(r -> r.names("/misc/a:first", "/misc/missing"));
        GetParameterHistoryResponse history = ssm.getParameterHistory(r -> r.name("/misc/a"));
        List<ParameterMetadata> tagged = ssm.describeParameters(r -> r.parameterFilters(
                ParameterStringFilter.builder().key("tag:team").values("blue").build())).parameters();
        ssm.removeTagsFromResource(r -> r.resourceType(ResourceTypeForTagging.PARAMETER).resourceId("/misc/a")
                .tagKeys("team"));
        ssm.addTagsToResource(r -> r.resourceType(ResourceTypeForTagging.PARAMETER).resourceId("/misc/a")
                .tags(Tag.builder().key("env").value("prod").build()));

        assertThat(got.parameters()).extracting(Parameter::value).containsExactly("1");
        assertThat(got.invalidParameters()).containsExactly("/misc/missing");
        assertThat(history.parameters()).extracting(ParameterHistory::labels).containsExactly(List.of("first"), List.of());
        assertThat(tagged).extracting(ParameterMetadata::name).containsExactly("/misc/a");
        assertThat(ssm.listTagsForResource(r -> r.resourceType(ResourceTypeForTagging.PARAMETER)
                .resourceId("/misc/a")).tagList()).containsExactly(Tag.builder().key("env").value("prod").build());

        ssm.deleteParameter(r -> r.name("/misc/a"));
        assertThat(ssm.deleteParameters(r -> r.names("/misc/a")).invalidParameters()).containsExactly("/misc/a");
        assertThatThrownBy(() -> ssm.deleteParameter(r -> r.name("/misc/a"))).isInstanceOf(ParameterNotFoundException.class);
    }

    @Test
    void aRestrictedUserReadsOnlyWhatItsPolicyAllows() {
        ssm.putParameter(r -> r.name("/app/url").value("http://app").type(ParameterType.STRING));
        ssm.putParameter(r -> r.name("/ops/token").value("t").type(ParameterType.STRING));

        assertThat(reader.getParameter(r -> r.name("/app/url")).parameter().value()).isEqualTo("http://app");
        assertThatThrownBy(() -> reader.getParameter(r -> r.name("/ops/token")))
                .isInstanceOfSatisfying(SsmException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("ssm:GetParameter on resource: "
                            + "arn:aws:ssm:us-east-1:" + berth.accountId() + ":parameter/ops/token");
                });
        assertThatThrownBy(() -> reader.putParameter(r -> r.name("/app/url").value("x").overwrite(true)))
                .isInstanceOfSatisfying(SsmException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }
}
