package io.berth.control.ssm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.model.EcsException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.AddTagsToResourceRequest;
import software.amazon.awssdk.services.ssm.model.DeleteParameterRequest;
import software.amazon.awssdk.services.ssm.model.DeleteParametersRequest;
import software.amazon.awssdk.services.ssm.model.DeleteParametersResponse;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.LabelParameterVersionRequest;
import software.amazon.awssdk.services.ssm.model.LabelParameterVersionResponse;
import software.amazon.awssdk.services.ssm.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.ssm.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.ssm.model.PutParameterResponse;
import software.amazon.awssdk.services.ssm.model.RemoveTagsFromResourceRequest;
import software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging;
import software.amazon.awssdk.services.ssm.model.Tag;
import software.amazon.awssdk.services.ssm.model.UnlabelParameterVersionRequest;
import software.amazon.awssdk.services.ssm.model.UnlabelParameterVersionResponse;

class ParameterWritesTest {

    private final ParameterWorld world = new ParameterWorld();

    @AfterEach
    void close() {
        world.close();
    }

    private static void fails(ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private PutParameterResponse put(PutParameterRequest.Builder request) {
        return world.call("PutParameter", request.build());
    }

    private String get(String name) {
        GetParameterResponse got = world.call("GetParameter", GetParameterRequest.builder().name(name)
                .withDecryption(true).build());
        return got.parameter().value();
    }

    @Test
    void aNewParameterIsVersionOneAndAnOverwriteMakesTheNext() {
        PutParameterResponse first = put(PutParameterRequest.builder().name("/app/url").value("a").type("String"));
        PutParameterResponse second = put(PutParameterRequest.builder().name("/app/url").value("b").overwrite(true));

        assertThat(first.version()).isEqualTo(1);
        assertThat(first.tier()).isEqualTo(ParameterTier.STANDARD);
        assertThat(second.version()).isEqualTo(2);
        assertThat(get("/app/url")).isEqualTo("b");
    }

    @Test
    void anExistingParameterIsNotOverwrittenUnlessAsked() {
        world.put("/app/url", "a");

        fails(() -> put(PutParameterRequest.builder().name("/app/url").value("b").type("String")),
                "ParameterAlreadyExists");
        assertThat(get("/app/url")).isEqualTo("a");
    }

    @Test
    void aNewParameterNeedsAType() {
        fails(() -> put(PutParameterRequest.builder().name("untyped").value("v")), "ValidationException");
        fails(() -> put(PutParameterRequest.builder().name("odd").value("v").type("Secret")), "ValidationException");
    }

    @Test
    void namesFollowSsmsRules() {
        fails(() -> world.put("/has space", "v"), "ValidationException");
        fails(() -> world.put("relative/path", "v"), "ValidationException");
        fails(() -> world.put("/ends/with/", "v"), "ValidationException");
        fails(() -> world.put("/SSM/reserved", "v"), "ValidationException");
        fails(() -> world.put("/Aws/reserved", "v"), "AccessDeniedException");
        fails(() -> world.put("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16", "v"), "HierarchyLevelLimitExceededException");
        fails(() -> world.put("x".repeat(1012), "v"), "ValidationException");

        assertThat(world.put("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15", "v")).isEqualTo(1);
        assertThat(world.put("plain_name.with-symbols", "v")).isEqualTo(1);
    }

    @Test
    void valuesAreHeldToTheirTiersLimits() {
        String fourKiB = "x".repeat(4096);
        String overFourKiB = fourKiB + "x";

        assertThat(world.put("/limit/standard", fourKiB)).isEqualTo(1);
        fails(() -> world.put("/limit/too-big", overFourKiB), "ValidationException");
        assertThat(put(PutParameterRequest.builder().name("/limit/advanced").value(overFourKiB).type("String")
                .tier(ParameterTier.ADVANCED)).tier()).isEqualTo(ParameterTier.ADVANCED);
        assertThat(put(PutParameterRequest.builder().name("/limit/intelligent").value(overFourKiB).type("String")
                .tier(ParameterTier.INTELLIGENT_TIERING)).tier()).isEqualTo(ParameterTier.ADVANCED);
        fails(() -> put(PutParameterRequest.builder().name("/limit/huge").value("x".repeat(8193)).type("String")
                .tier(ParameterTier.ADVANCED)), "ValidationException");
        fails(() -> put(PutParameterRequest.builder().name("/limit/empty").value("").type("String")),
                "ValidationException");
        fails(() -> put(PutParameterRequest.builder().name("/limit/advanced").value("v").overwrite(true)
                .tier(ParameterTier.STANDARD)), "ValidationException");
    }

    @Test
    void aValueOutsideTheAllowedPatternIsRefusedWithoutShowingIt() {
        PutParameterRequest.Builder request = PutParameterRequest.builder().name("/port").type("String")
                .allowedPattern("^\\d+$");

        fails(() -> put(request.value("not-a-port-9f3k")), "ParameterPatternMismatchException");
        assertThatThrownBy(() -> put(request.value("not-a-port-9f3k"))).hasMessageNotContaining("9f3k");
        assertThat(put(request.value("8080")).version()).isEqualTo(1);
        fails(() -> put(PutParameterRequest.builder().name("/port").value("http").overwrite(true)),
                "ParameterPatternMismatchException");
        fails(() -> put(PutParameterRequest.builder().name("/bad").value("v").type("String").allowedPattern("(")),
                "InvalidAllowedPatternException");
    }

    @Test
    void aPatternThatBacktracksWithoutEndCountsAsNoMatch() {
        fails(() -> put(PutParameterRequest.builder().name("/redos").type("String").allowedPattern("^(a+)+$")
                .value("a".repeat(4000) + "!")), "ParameterPatternMismatchException");
    }

    @Test
    void tagsComeWithCreationOnlyAndAreManagedAfterwards() {
        put(PutParameterRequest.builder().name("/tagged").value("v").type("String")
                .tags(Tag.builder().key("team").value("a").build()));
        fails(() -> put(PutParameterRequest.builder().name("/tagged").value("w").overwrite(true)
                .tags(Tag.builder().key("team").value("b").build())), "ValidationException");

        world.call("AddTagsToResource", AddTagsToResourceRequest.builder().resourceType(ResourceTypeForTagging.PARAMETER)
                .resourceId("/tagged").tags(Tag.builder().key("env").value("prod").build()).build());
        world.call("RemoveTagsFromResource", RemoveTagsFromResourceRequest.builder()
                .resourceType(ResourceTypeForTagging.PARAMETER).resourceId("/tagged").tagKeys("team").build());
        ListTagsForResourceResponse tags = world.call("ListTagsForResource", ListTagsForResourceRequest.builder()
                .resourceType(ResourceTypeForTagging.PARAMETER).resourceId("/tagged").build());

        assertThat(tags.tagList()).containsExactly(Tag.builder().key("env").value("prod").build());
        fails(() -> world.call("ListTagsForResource", ListTagsForResourceRequest.builder()
                .resourceType(ResourceTypeForTagging.PARAMETER).resourceId("/missing").build()), "InvalidResourceId");
        fails(() -> world.call("ListTagsForResource", ListTagsForResourceRequest.builder()
                .resourceType(ResourceTypeForTagging.DOCUMENT).resourceId("/tagged").build()), "InvalidResourceType");
    }

    @Test
    void moreThanFiftyTagsAreTooMany() {
        world.put("/many", "v");
        List<Tag> tags = java.util.stream.IntStream.range(0, 51)
                .mapToObj(i -> Tag.builder().key("k" + i).value("v").build()).toList();

        fails(() -> world.call("AddTagsToResource", AddTagsToResourceRequest.builder()
                .resourceType(ResourceTypeForTagging.PARAMETER).resourceId("/many").tags(tags).build()),
                "TooManyTagsError");
    }

    @Test
    void theHundredAndFirstVersionDropsTheOldestUnlessALabelHoldsIt() {
        for (int i = 1; i <= 100; i++) {
            world.put("/busy", "v" + i);
        }
        world.put("/busy", "v101");
        assertThat(Parameters.versions(world.state.region(ParameterWorld.SCOPE), "/busy"))
                .hasSize(100).first().extracting(ParameterVersion::version).isEqualTo(2L);

        world.call("LabelParameterVersion", LabelParameterVersionRequest.builder().name("/busy").parameterVersion(2L)
                .labels("pinned").build());
        fails(() -> world.put("/busy", "v102"), "ParameterMaxVersionLimitExceeded");
    }

    @Test
    void aLabelMovesBetweenVersionsAndInvalidLabelsAreReported() {
        world.put("/lbl", "one");
        world.put("/lbl", "two");

        LabelParameterVersionResponse first = world.call("LabelParameterVersion", LabelParameterVersionRequest.builder()
                .name("/lbl").parameterVersion(1L).labels("stable", "1bad", "awsLabel").build());
        world.call("LabelParameterVersion", LabelParameterVersionRequest.builder().name("/lbl").labels("stable").build());

        assertThat(first.invalidLabels()).containsExactly("1bad", "awsLabel");
        assertThat(get("/lbl:stable")).isEqualTo("two");
        fails(() -> world.call("LabelParameterVersion", LabelParameterVersionRequest.builder().name("/lbl")
                .parameterVersion(9L).labels("x").build()), "ParameterVersionNotFound");

        UnlabelParameterVersionResponse removed = world.call("UnlabelParameterVersion",
                UnlabelParameterVersionRequest.builder().name("/lbl").parameterVersion(2L).labels("stable", "none")
                        .build());
        assertThat(removed.removedLabels()).containsExactly("stable");
        assertThat(removed.invalidLabels()).containsExactly("none");
        fails(() -> get("/lbl:stable"), "ParameterNotFound");
    }

    @Test
    void aVersionHoldsAtMostTenLabels() {
        world.put("/ten", "v");
        world.call("LabelParameterVersion", LabelParameterVersionRequest.builder().name("/ten")
                .labels("a", "b", "c", "d", "e", "f", "g", "h", "i", "j").build());

        fails(() -> world.call("LabelParameterVersion", LabelParameterVersionRequest.builder().name("/ten")
                .labels("k").build()), "ParameterVersionLabelLimitExceeded");
    }

    @Test
    void deletingRemovesEveryVersionAndReportsWhatWasNotThere() {
        world.put("/gone", "a");
        world.put("/gone", "b");
        world.put("/also-gone", "c");

        world.call("DeleteParameter", DeleteParameterRequest.builder().name("/gone").build());
        DeleteParametersResponse batch = world.call("DeleteParameters", DeleteParametersRequest.builder()
                .names("/also-gone", "/never").build());

        assertThat(world.storedJson()).isEmpty();
        assertThat(batch.deletedParameters()).containsExactly("/also-gone");
        assertThat(batch.invalidParameters()).containsExactly("/never");
        fails(() -> world.call("DeleteParameter", DeleteParameterRequest.builder().name("/gone").build()),
                "ParameterNotFound");
        fails(() -> world.call("DeleteParameter", DeleteParameterRequest.builder().name("/gone:1").build()),
                "ValidationException");
        fails(() -> world.call("DeleteParameters", DeleteParametersRequest.builder().names(
                "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11").build()), "ValidationException");
    }

    @Test
    void aSecureStringIsStoredOnlyEncrypted() {
        world.put("/db/password", "hunter2-Zq81", ParameterType.SECURE_STRING);

        assertThat(world.storedJson()).isNotEmpty().allSatisfy(json -> assertThat(json).doesNotContain("Zq81"));
        assertThat(get("/db/password")).isEqualTo("hunter2-Zq81");
    }

    @Test
    void aSecureStringUnderACustomerKeyNeedsKmsEncrypt() {
        world.denied.add("kms:Encrypt");

        fails(() -> put(PutParameterRequest.builder().name("/cmk").value("v").type("SecureString")
                .keyId("alias/app")), "AccessDeniedException");
        assertThat(put(PutParameterRequest.builder().name("/default-key").value("v").type("SecureString")).version())
                .isEqualTo(1);
        fails(() -> put(PutParameterRequest.builder().name("/plain").value("v").type("String").keyId("alias/app")),
                "ValidationException");
    }
}
