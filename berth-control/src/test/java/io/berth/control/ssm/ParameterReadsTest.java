package io.berth.control.ssm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.DescribeParametersRequest;
import software.amazon.awssdk.services.ssm.model.DescribeParametersResponse;
import software.amazon.awssdk.services.ssm.model.GetParameterHistoryRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterHistoryResponse;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.LabelParameterVersionRequest;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterHistory;
import software.amazon.awssdk.services.ssm.model.ParameterMetadata;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.ParametersFilter;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;

class ParameterReadsTest {

    private static final String ARN_PREFIX = "arn:aws:ssm:us-east-1:123456789012:parameter";

    private final ParameterWorld world = new ParameterWorld();

    @AfterEach
    void close() {
        world.close();
    }

    private static void fails(ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private Parameter get(String name, boolean decrypt) {
        GetParameterResponse got = world.call("GetParameter", GetParameterRequest.builder().name(name)
                .withDecryption(decrypt).build());
        return got.parameter();
    }

    private GetParametersByPathResponse byPath(GetParametersByPathRequest.Builder request) {
        return world.call("GetParametersByPath", request.build());
    }

    private static List<String> names(List<Parameter> parameters) {
        return parameters.stream().map(Parameter::name).toList();
    }

    @Test
    void aParameterIsFoundByNameOrArnWithItsVersionAndArn() {
        world.put("/app/url", "http://a");
        world.put("plain", "p");

        Parameter byName = get("/app/url", false);
        Parameter byArn = get(ARN_PREFIX + "/app/url", false);

        assertThat(byName.value()).isEqualTo("http://a");
        assertThat(byName.arn()).isEqualTo(ARN_PREFIX + "/app/url");
        assertThat(byName.version()).isEqualTo(1);
        assertThat(byName.dataType()).isEqualTo("text");
        assertThat(byArn).isEqualTo(byName);
        assertThat(get(ARN_PREFIX + "/plain", false).name()).isEqualTo("plain");
        fails(() -> get("arn:aws:ssm:us-east-1:999999999999:parameter/app/url", false), "ParameterNotFound");
        fails(() -> get("/missing", false), "ParameterNotFound");
    }

    @Test
    void aSelectorPicksAVersionOrALabel() {
        world.put("/sel", "one");
        world.put("/sel", "two");
        world.call("LabelParameterVersion", LabelParameterVersionRequest.builder().name("/sel").parameterVersion(1L)
                .labels("old").build());

        assertThat(get("/sel:1", false)).satisfies(p -> {
            assertThat(p.value()).isEqualTo("one");
            assertThat(p.selector()).isEqualTo(":1");
            assertThat(p.name()).isEqualTo("/sel");
        });
        assertThat(get("/sel:old", false).value()).isEqualTo("one");
        assertThat(get(ARN_PREFIX + "/sel:2", false).value()).isEqualTo("two");
        fails(() -> get("/sel:3", false), "ParameterVersionNotFound");
        fails(() -> get("/sel:nolabel", false), "ParameterNotFound");
        fails(() -> get("/sel:", false), "ValidationException");
    }

    @Test
    void aSecureStringShowsItsCiphertextUnlessDecrypted() {
        world.put("/secure", "s3cr3t-value", ParameterType.SECURE_STRING);

        assertThat(get("/secure", false).value()).isNotEqualTo("s3cr3t-value").doesNotContain("s3cr3t");
        assertThat(get("/secure", true).value()).isEqualTo("s3cr3t-value");
        assertThat(get("/secure", true).type()).isEqualTo(ParameterType.SECURE_STRING);
    }

    @Test
    void decryptingUnderACustomerKeyNeedsKmsDecrypt() {
        world.call("PutParameter", PutParameterRequest.builder().name("/cmk").value("v").type("SecureString")
                .keyId("alias/app").build());
        world.denied.add("kms:Decrypt");

        assertThat(get("/cmk", false).value()).isNotEqualTo("v");
        assertThatThrownBy(() -> get("/cmk", true)).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("AccessDeniedException");
            assertThat(e.getMessage()).isEqualTo("User: arn:aws:iam::123456789012:user/app is not authorized to "
                    + "perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:123456789012:alias/app because no "
                    + "identity-based policy allows the kms:Decrypt action");
        });
    }

    @Test
    void everyCallIsAskedOnTheParametersArnAndRefusedWithAwssMessage() {
        world.put("/app/db/host", "h");
        world.denied.add("ssm:GetParameter");

        assertThatThrownBy(() -> get("/app/db/host", false)).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo("AccessDeniedException");
            assertThat(e.getMessage()).isEqualTo("User: arn:aws:iam::123456789012:user/app is not authorized to "
                    + "perform: ssm:GetParameter on resource: " + ARN_PREFIX + "/app/db/host because no "
                    + "identity-based policy allows the ssm:GetParameter action");
        });
        assertThat(world.asked).anySatisfy(r -> assertThat(r.resource()).isEqualTo(ARN_PREFIX + "/app/db/host"));
    }

    @Test
    void getParametersAnswersTheFoundAndListsTheRestAsInvalid() {
        world.put("/a", "1");
        world.put("/b", "2");

        GetParametersResponse got = world.call("GetParameters", GetParametersRequest.builder()
                .names("/a", "/b:1", "/missing", "/b:7", "/a").build());

        assertThat(names(got.parameters())).containsExactly("/a", "/b");
        assertThat(got.invalidParameters()).containsExactly("/missing", "/b:7");
        fails(() -> world.call("GetParameters", GetParametersRequest.builder().names(
                "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11").build()), "ValidationException");
    }

    @Test
    void byPathTakesOneLevelOrEveryLevelBelow() {
        world.put("/svc/a", "1");
        world.put("/svc/b", "2");
        world.put("/svc/deep/c", "3");
        world.put("/svcx/d", "4");

        assertThat(names(byPath(GetParametersByPathRequest.builder().path("/svc")).parameters()))
                .containsExactly("/svc/a", "/svc/b");
        assertThat(names(byPath(GetParametersByPathRequest.builder().path("/svc/").recursive(true)).parameters()))
                .containsExactly("/svc/a", "/svc/b", "/svc/deep/c");
        assertThat(names(byPath(GetParametersByPathRequest.builder().path("/").recursive(true)).parameters()))
                .hasSize(4);
        fails(() -> byPath(GetParametersByPathRequest.builder().path("svc")), "ValidationException");
    }

    @Test
    void byPathPagesAndFilters() {
        for (int i = 0; i < 25; i++) {
            world.put(String.format("/page/p%02d", i), "v", i % 5 == 0 ? ParameterType.SECURE_STRING : ParameterType.STRING);
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            GetParametersByPathResponse page = byPath(GetParametersByPathRequest.builder().path("/page").maxResults(10)
                    .nextToken(token));
            seen.addAll(names(page.parameters()));
            token = page.nextToken();
        } while (token != null);
        GetParametersByPathResponse secure = byPath(GetParametersByPathRequest.builder().path("/page")
                .parameterFilters(ParameterStringFilter.builder().key("Type").values("SecureString").build()));

        assertThat(seen).hasSize(25).doesNotHaveDuplicates().isSorted();
        assertThat(names(secure.parameters())).containsExactly("/page/p00", "/page/p05", "/page/p10", "/page/p15",
                "/page/p20");
        fails(() -> byPath(GetParametersByPathRequest.builder().path("/page").maxResults(11)), "ValidationException");
        fails(() -> byPath(GetParametersByPathRequest.builder().path("/page").nextToken("%%%")), "InvalidNextToken");
        fails(() -> byPath(GetParametersByPathRequest.builder().path("/page").parameterFilters(
                ParameterStringFilter.builder().key("Name").values("x").build())), "InvalidFilterKey");
        fails(() -> byPath(GetParametersByPathRequest.builder().path("/page").parameterFilters(
                ParameterStringFilter.builder().key("Type").option("Contains").values("String").build())),
                "InvalidFilterOption");
        fails(() -> byPath(GetParametersByPathRequest.builder().path("/page").parameterFilters(
                ParameterStringFilter.builder().key("Type").values("Secret").build())), "InvalidFilterValue");
    }

    @Test
    void byPathFiltersByLabel() {
        world.put("/lab/a", "1");
        world.put("/lab/b", "2");
        world.call("LabelParameterVersion", LabelParameterVersionRequest.builder().name("/lab/b").labels("live").build());

        assertThat(names(byPath(GetParametersByPathRequest.builder().path("/lab").parameterFilters(
                ParameterStringFilter.builder().key("Label").values("live").build())).parameters()))
                .containsExactly("/lab/b");
    }

    @Test
    void describeFiltersByNamePathTypeAndTag() {
        world.put("/d/one", "1");
        world.put("/d/two", "2", ParameterType.SECURE_STRING);
        world.put("/d/sub/three", "3");
        world.call("PutParameter", PutParameterRequest.builder().name("/d/tagged").value("4").type("StringList")
                .tags(software.amazon.awssdk.services.ssm.model.Tag.builder().key("team").value("blue").build()).build());

        assertThat(describe(ParameterStringFilter.builder().key("Name").option("BeginsWith").values("/d/t").build()))
                .containsExactly("/d/tagged", "/d/two");
        assertThat(describe(ParameterStringFilter.builder().key("Path").option("Recursive").values("/d").build()))
                .hasSize(4);
        assertThat(describe(ParameterStringFilter.builder().key("Path").values("/d/sub").build()))
                .containsExactly("/d/sub/three");
        assertThat(describe(ParameterStringFilter.builder().key("Type").values("SecureString").build()))
                .containsExactly("/d/two");
        assertThat(describe(ParameterStringFilter.builder().key("tag:team").build())).containsExactly("/d/tagged");
        assertThat(describe(ParameterStringFilter.builder().key("KeyId").values("alias/aws/ssm").build()))
                .containsExactly("/d/two");
        DescribeParametersResponse legacy = world.call("DescribeParameters", DescribeParametersRequest.builder()
                .filters(ParametersFilter.builder().key("Type").values("StringList").build()).build());
        assertThat(legacy.parameters()).extracting(ParameterMetadata::name).containsExactly("/d/tagged");
        fails(() -> world.call("DescribeParameters", DescribeParametersRequest.builder()
                .filters(ParametersFilter.builder().key("Type").values("String").build())
                .parameterFilters(ParameterStringFilter.builder().key("Type").values("String").build()).build()),
                "ValidationException");
        fails(() -> describe(ParameterStringFilter.builder().key("Label").values("x").build()), "InvalidFilterKey");
    }

    private List<String> describe(ParameterStringFilter filter) {
        DescribeParametersResponse described = world.call("DescribeParameters", DescribeParametersRequest.builder()
                .parameterFilters(filter).build());
        assertThat(described.parameters()).allSatisfy(p -> assertThat(p.arn()).startsWith(ARN_PREFIX));
        return described.parameters().stream().map(ParameterMetadata::name).toList();
    }

    @Test
    void historyListsEveryVersionOldestFirstInPages() {
        world.put("/h", "v1", ParameterType.SECURE_STRING);
        world.put("/h", "v2", ParameterType.SECURE_STRING);
        world.put("/h", "v3", ParameterType.SECURE_STRING);

        GetParameterHistoryResponse first = world.call("GetParameterHistory", GetParameterHistoryRequest.builder()
                .name("/h").maxResults(2).withDecryption(true).build());
        GetParameterHistoryResponse rest = world.call("GetParameterHistory", GetParameterHistoryRequest.builder()
                .name("/h").maxResults(2).nextToken(first.nextToken()).build());

        assertThat(first.parameters()).extracting(ParameterHistory::value).containsExactly("v1", "v2");
        assertThat(first.parameters()).allSatisfy(h -> assertThat(h.lastModifiedUser()).isEqualTo(
                ParameterWorld.USER.principalArn()));
        assertThat(rest.parameters()).extracting(ParameterHistory::version).containsExactly(3L);
        assertThat(rest.parameters().get(0).value()).isNotEqualTo("v3");
        assertThat(rest.nextToken()).isNull();
        fails(() -> world.call("GetParameterHistory", GetParameterHistoryRequest.builder().name("/none").build()),
                "ParameterNotFound");
    }
}
