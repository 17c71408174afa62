package io.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.CreateRoleRequest;
import software.amazon.awssdk.services.iam.model.CreateRoleResponse;
import software.amazon.awssdk.services.iam.model.DeleteRoleResponse;
import software.amazon.awssdk.services.iam.model.ListRolesRequest;
import software.amazon.awssdk.services.iam.model.ListRolesResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.AssumedRoleUser;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.PolicyDescriptorType;
import software.amazon.awssdk.services.sts.model.StsException;

class AwsQueryTest {

    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final Instant CREATED = Instant.parse("2026-11-25T10:15:30Z");

    private final AwsQuery iam = AwsQuery.iam();
    private final AwsQuery sts = AwsQuery.sts();

    @Test
    void aCreateRoleRequestTheSdkSendsReadsBackAsTheSameShape() {
        CreateRoleRequest sent = CreateRoleRequest.builder().roleName("ecsInstanceRole").path("/service/")
                .assumeRolePolicyDocument(TRUST).description("hosts & more <ok>").maxSessionDuration(7200)
                .tags(Tag.builder().key("team").value("a b").build(), Tag.builder().key("env").value("prod").build())
                .build();
        AtomicReference<CreateRoleRequest> received = new AtomicReference<>();

        try (IamClient client = iamClient(params -> {
            assertThat(params).containsEntry("Action", "CreateRole").containsEntry("Tags.member.2.Key", "env");
            received.set(iam.read(params, CreateRoleRequest.class));
            return ok(iam, "CreateRole", CreateRoleResponse.builder().role(role("ecsInstanceRole")).build());
        })) {
            client.createRole(sent);
        }

        assertThat(received.get()).isEqualTo(sent);
    }

    @Test
    void aRoleWrittenAsXmlIsWhatTheSdkReadsWithItsPolicyDocumentUrlEncoded() {
        Role role = role("ecsInstanceRole").toBuilder().description("a <b> & \"c\"")
                .tags(Tag.builder().key("team").value("x").build()).build();

        CreateRoleResponse parsed;
        try (IamClient client = iamClient(params -> ok(iam, "CreateRole", CreateRoleResponse.builder().role(role).build()))) {
            parsed = client.createRole(r -> r.roleName("ecsInstanceRole").assumeRolePolicyDocument(TRUST));
        }

        assertThat(parsed.role().toBuilder().assumeRolePolicyDocument(TRUST).build()).isEqualTo(role);
        assertThat(parsed.role().assumeRolePolicyDocument()).doesNotContain("{", " ")
                .satisfies(encoded -> assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(TRUST));
    }

    @Test
    void listsAreMemberElementsWithTheirPagingMembers() {
        ListRolesResponse answer = ListRolesResponse.builder().roles(role("a"), role("b")).isTruncated(true)
                .marker("b").build();
        byte[] xml = iam.response("ListRoles", answer, "req-1");

        assertThat(new String(xml, StandardCharsets.UTF_8)).startsWith(
                "<ListRolesResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListRolesResult><Roles><member>")
                .endsWith("<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ListRolesResponse>");
        ListRolesResponse parsed;
        try (IamClient client = iamClient(params -> new FakeQueryEndpoint.Answer(200, xml))) {
            parsed = client.listRoles(ListRolesRequest.builder().maxItems(2).build());
        }
        assertThat(parsed.roles()).extracting(Role::roleName).containsExactly("a", "b");
        assertThat(parsed.isTruncated()).isTrue();
        assertThat(parsed.marker()).isEqualTo("b");
    }

    @Test
    void anEmptyListIsWrittenAndReadAsEmpty() {
        ListRolesResponse parsed;
        try (IamClient client = iamClient(params -> ok(iam, "ListRoles",
                ListRolesResponse.builder().roles(java.util.List.of()).isTruncated(false).build()))) {
            parsed = client.listRoles();
        }
        assertThat(parsed.roles()).isEmpty();
        assertThat(parsed.isTruncated()).isFalse();
    }

    @Test
    void aResponseWithoutMembersHasNoResultElement() {
        String xml = new String(iam.response("DeleteRole", DeleteRoleResponse.builder().build(), "req-2"),
                StandardCharsets.UTF_8);

        assertThat(xml).isEqualTo("<DeleteRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></DeleteRoleResponse>");
        try (IamClient client = iamClient(params -> new FakeQueryEndpoint.Answer(200,
                xml.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(client.deleteRole(r -> r.roleName("x")).responseMetadata().requestId()).isEqualTo("req-2");
        }
    }

    @Test
    void anErrorReachesTheSdkWithItsCodeStatusMessageAndRequestId() {
        try (IamClient client = iamClient(params -> new FakeQueryEndpoint.Answer(404,
                iam.error("NoSuchEntity", 404, "The role with name nobody cannot be found.", "req-3")))) {
            assertThatThrownBy(() -> client.getRole(r -> r.roleName("nobody")))
                    .isInstanceOfSatisfying(NoSuchEntityException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The role with name nobody cannot be found.");
                        assertThat(e.statusCode()).isEqualTo(404);
                        assertThat(e.requestId()).isEqualTo("req-3");
                    });
        }
    }

    @Test
    void errorsAreTheSendersUnlessTheStatusIsAServerFault() {
        assertThat(new String(iam.error("ServiceFailure", 500, "x", "r"), StandardCharsets.UTF_8))
                .contains("<Type>Receiver</Type>");
        assertThat(new String(iam.error("ValidationError", 400, "a < b", "r"), StandardCharsets.UTF_8))
                .contains("<Type>Sender</Type>", "<Message>a &lt; b</Message>");
    }

    @Test
    void anAssumeRoleRequestWithNestedListsReadsBackAndItsCredentialsParse() {
        AssumeRoleRequest sent = AssumeRoleRequest.builder().roleArn("arn:aws:iam::123456789012:role/app")
                .roleSessionName("s1").durationSeconds(900)
                .policyArns(PolicyDescriptorType.builder().arn("arn:aws:iam::aws:policy/ReadOnlyAccess").build())
                .tags(software.amazon.awssdk.services.sts.model.Tag.builder().key("k").value("v").build())
                .build();
        Instant expiration = Instant.parse("2026-11-25T11:15:30.123Z");
        AssumeRoleResponse answer = AssumeRoleResponse.builder()
                .credentials(Credentials.builder().accessKeyId("ASIAEXAMPLE").secretAccessKey("secret")
                        .sessionToken("token+/=").expiration(expiration).build())
                .assumedRoleUser(AssumedRoleUser.builder().assumedRoleId("AROAEXAMPLE:s1")
                        .arn("arn:aws:sts::123456789012:assumed-role/app/s1").build())
                .packedPolicySize(6).build();
        AtomicReference<AssumeRoleRequest> received = new AtomicReference<>();

        AssumeRoleResponse parsed;
        try (StsClient client = stsClient(params -> {
            assertThat(params).containsEntry("PolicyArns.member.1.arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");
            received.set(sts.read(params, AssumeRoleRequest.class));
            return ok(sts, "AssumeRole", answer);
        })) {
            parsed = client.assumeRole(sent);
        }

        assertThat(received.get()).isEqualTo(sent);
        assertThat(parsed.credentials()).isEqualTo(answer.credentials());
        assertThat(parsed.assumedRoleUser()).isEqualTo(answer.assumedRoleUser());
        assertThat(parsed.packedPolicySize()).isEqualTo(6);
    }

    @Test
    void stsAnswersInItsOwnNamespace() {
        byte[] xml = sts.response("GetCallerIdentity", GetCallerIdentityResponse.builder().account("123456789012")
                .arn("arn:aws:iam::123456789012:root").userId("123456789012").build(), "r");

        assertThat(new String(xml, StandardCharsets.UTF_8))
                .startsWith("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">");
        try (StsClient client = stsClient(params -> new FakeQueryEndpoint.Answer(200, xml))) {
            assertThat(client.getCallerIdentity().account()).isEqualTo("123456789012");
        }
        try (StsClient client = stsClient(params -> new FakeQueryEndpoint.Answer(400,
                sts.error("ExpiredToken", 400, "The security token included in the request is expired", "r")))) {
            // STS names an expired request credential ExpiredToken, not the modelled ExpiredTokenException.
            assertThatThrownBy(client::getCallerIdentity).isInstanceOfSatisfying(StsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredToken"));
        }
    }

    @Test
    void aNumberThatIsNotOneIsMalformedInput() {
        assertThatThrownBy(() -> iam.read(Map.of("MaxItems", "ten"), ListRolesRequest.class))
                .isInstanceOfSatisfying(EcsException.class, e -> {
                    assertThat(e.code()).isEqualTo("MalformedInput");
                    assertThat(e.httpStatus()).isEqualTo(400);
                });
    }

    @Test
    void aMalformedValueIsQuotedInItsErrorOnlyInPart() {
        String huge = "9".repeat(100_000);

        assertThatThrownBy(() -> iam.read(Map.of("MaxItems", huge), ListRolesRequest.class))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.getMessage()).hasSizeLessThan(200));
        assertThatThrownBy(() -> AwsQuery.parseForm("Action=ListRoles&Marker=%ZZ" + huge))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void formParametersDecodePlusAndPercentEscapes() {
        assertThat(AwsQuery.parseForm("Action=CreateRole&Description=a+b%26c&Empty="))
                .containsExactly(Map.entry("Action", "CreateRole"), Map.entry("Description", "a b&c"),
                        Map.entry("Empty", ""));
    }

    private static Role role(String name) {
        return Role.builder().roleName(name).path("/").roleId("AROAEXAMPLEEXAMPLE1").arn("arn:aws:iam::123456789012:role/" + name)
                .createDate(CREATED).assumeRolePolicyDocument(TRUST).maxSessionDuration(3600).build();
    }

    private static FakeQueryEndpoint.Answer ok(AwsQuery codec, String action, SdkPojo response) {
        return new FakeQueryEndpoint.Answer(200, codec.response(action, response, "req"));
    }

    private static IamClient iamClient(Function<Map<String, String>, FakeQueryEndpoint.Answer> server) {
        return IamClient.builder().region(Region.AWS_GLOBAL).httpClient(new FakeQueryEndpoint(server))
                .endpointOverride(java.net.URI.create("http://localhost"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIA", "secret")))
                .build();
    }

    private static StsClient stsClient(Function<Map<String, String>, FakeQueryEndpoint.Answer> server) {
        return StsClient.builder().region(Region.US_EAST_1).httpClient(new FakeQueryEndpoint(server))
                .endpointOverride(java.net.URI.create("http://localhost"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIA", "secret")))
                .build();
    }
}
