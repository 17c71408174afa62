package io.berth.control.access;

import static io.berth.control.access.AccessWorld.ALICE;
import static io.berth.control.access.AccessWorld.DEV;
import static io.berth.control.access.AccessWorld.I1;
import static io.berth.control.access.AccessWorld.ORIGIN;
import static io.berth.control.access.AccessWorld.PROD;
import static io.berth.control.access.AccessWorld.ROOT;
import static io.berth.control.access.AccessWorld.SCOPE;
import static io.berth.control.access.AccessWorld.T1;
import static io.berth.control.access.AccessWorld.WEB_1;
import static io.berth.control.access.AccessWorld.arn;
import static io.berth.control.access.AccessWorld.tag;
import static io.berth.control.access.IdentityPolicy.statement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Caller;
import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.Decision;
import io.berth.model.EcsException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.DescribeClustersRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.EcsRequest;
import software.amazon.awssdk.services.ecs.model.ListClustersRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.StartTaskRequest;
import software.amazon.awssdk.services.ecs.model.TagResourceRequest;
import software.amazon.awssdk.services.ecs.model.UntagResourceRequest;

class AccessControlTest {

    private static final Authorizer NOTHING_ALLOWED = (caller, request) -> Decision.IMPLICIT_DENY;

    private final AccessWorld world = new AccessWorld();

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void runTaskIsAskedOnTheTaskDefinitionArnWithTheClusterArn() {
        AccessRequest request = single(RunTaskRequest.builder().cluster("prod").taskDefinition("web:1").build());

        assertThat(request.action()).isEqualTo("ecs:RunTask");
        assertThat(request.resource()).isEqualTo(WEB_1);
        assertThat(request.context()).containsEntry("ecs:cluster", List.of(PROD))
                .containsEntry("aws:ResourceTag/env", List.of("prod"));
    }

    @Test
    void aBareFamilyIsAskedOnTheFamilyArnAndNoClusterMeansDefault() {
        AccessRequest request = single(RunTaskRequest.builder().taskDefinition("web").build());

        assertThat(request.resource()).isEqualTo(arn("task-definition/web"));
        assertThat(request.context()).containsEntry("ecs:cluster", List.of(arn("cluster/default")));
    }

    @Test
    void startTaskNamesItsContainerInstances() {
        AccessRequest request = single(StartTaskRequest.builder().cluster(PROD).taskDefinition(WEB_1)
                .containerInstances("i1").build());

        assertThat(request.context()).containsEntry("ecs:container-instances", List.of(I1));
    }

    @Test
    void describeTasksAsksOncePerTaskOnItsArnInTheCluster() {
        List<AccessRequest> requests = requests("DescribeTasks",
                DescribeTasksRequest.builder().cluster("prod").tasks("t1", arn("task/prod/t2")).build());

        assertThat(requests).extracting(AccessRequest::resource).containsExactly(T1, arn("task/prod/t2"));
        assertThat(requests).allSatisfy(r -> assertThat(r.context()).containsEntry("ecs:cluster", List.of(PROD)));
        assertThat(requests.get(0).context()).containsEntry("aws:ResourceTag/env", List.of("prod"));
        assertThat(requests.get(1).context()).doesNotContainKey("aws:ResourceTag/env");
    }

    @Test
    void aCallThatNamesNoneOfItsResourcesIsStillAsked() {
        assertThat(requests("DescribeTasks", DescribeTasksRequest.builder().cluster("prod").build()))
                .extracting(AccessRequest::action, AccessRequest::resource)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ecs:DescribeTasks", "*"));
    }

    @Test
    void aMissingResourceArnIsAskedOnAnyResource() {
        assertThat(single(TagResourceRequest.builder().tags(tag("env", "prod")).build()).resource()).isEqualTo("*");
    }

    @Test
    void tagOperationsCarryRequestTagsTagKeysAndTheResourceTags() {
        AccessRequest tagging = single(TagResourceRequest.builder().resourceArn(DEV)
                .tags(tag("team", "a"), tag("env", "prod")).build());
        AccessRequest untagging = single(UntagResourceRequest.builder().resourceArn(DEV).tagKeys("env").build());

        assertThat(tagging.context()).containsEntry("aws:RequestTag/team", List.of("a"))
                .containsEntry("aws:RequestTag/env", List.of("prod"))
                .containsEntry("aws:TagKeys", List.of("team", "env"))
                .containsEntry("aws:ResourceTag/env", List.of("dev"));
        assertThat(untagging.context()).containsEntry("aws:TagKeys", List.of("env"))
                .doesNotContainKey("aws:RequestTag/env");
    }

    @Test
    void creatingATaggedClusterAlsoAsksToTagIt() {
        List<AccessRequest> requests = requests("CreateCluster",
                CreateClusterRequest.builder().clusterName("new").tags(tag("env", "prod")).build());

        assertThat(requests).extracting(AccessRequest::action).containsExactly("ecs:CreateCluster", "ecs:TagResource");
        assertThat(requests).extracting(AccessRequest::resource).containsOnly(arn("cluster/new"));
        assertThat(requests.get(1).context()).containsEntry("ecs:CreateAction", List.of("CreateCluster"));
    }

    @Test
    void everyRequestCarriesTheGlobalConditionKeys() {
        AccessRequest request = single(ListClustersRequest.builder().build());

        assertThat(request.resource()).isEqualTo("*");
        assertThat(request.context())
                .containsEntry("aws:SourceIp", List.of("192.0.2.10"))
                .containsEntry("aws:SecureTransport", List.of("false"))
                .containsEntry("aws:CurrentTime", List.of("2026-11-25T12:00:00Z"))
                .containsEntry("aws:EpochTime", List.of(Long.toString(AccessWorld.NOW.getEpochSecond())))
                .containsEntry("aws:PrincipalArn", List.of(ALICE.principalArn()))
                .containsEntry("aws:PrincipalAccount", List.of("123456789012"))
                .containsEntry("aws:RequestedRegion", List.of("us-east-1"))
                .containsEntry("aws:username", List.of("alice"));
    }

    @Test
    void policiesMayTestTheSourceAddressTransportAndTime() {
        AccessControl access = world.access(IdentityPolicy.of(statement(
                "{'Effect': 'Allow', 'Action': 'ecs:ListClusters', 'Resource': '*', 'Condition': {"
                        + " 'IpAddress': {'aws:SourceIp': '192.0.2.0/24'},"
                        + " 'Bool': {'aws:SecureTransport': 'true'},"
                        + " 'DateLessThan': {'aws:CurrentTime': '2027-01-01T00:00:00Z'}}}")));
        EcsRequest listClusters = ListClustersRequest.builder().build();

        access.authorize(ALICE, "ListClusters", listClusters, new RequestOrigin("192.0.2.10", true));
        assertThatThrownBy(() -> access.authorize(ALICE, "ListClusters", listClusters,
                new RequestOrigin("198.51.100.7", true))).isInstanceOf(EcsException.class);
        assertThatThrownBy(() -> access.authorize(ALICE, "ListClusters", listClusters,
                new RequestOrigin("192.0.2.10", false))).isInstanceOf(EcsException.class);
    }

    @Test
    void aRefusalNamesTheUserActionAndResourceAsAwsDoes() {
        AccessControl access = world.access(IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:Describe*', 'Resource': '*'}")));

        assertThatThrownBy(() -> access.authorize(ALICE, "RunTask",
                RunTaskRequest.builder().cluster("prod").taskDefinition("web:1").build(), ORIGIN))
                .isInstanceOfSatisfying(EcsException.class, e -> {
                    assertThat(e.code()).isEqualTo("AccessDeniedException");
                    assertThat(e.httpStatus()).isEqualTo(400);
                })
                .hasMessage("User: arn:aws:iam::123456789012:user/alice is not authorized to perform: ecs:RunTask"
                        + " on resource: arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"
                        + " because no identity-based policy allows the ecs:RunTask action");
    }

    @Test
    void anExplicitDenyIsReportedBeforeAMissingAllow() {
        AccessControl access = world.access(IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:*', 'Resource': '" + PROD + "'}"),
                statement("{'Effect': 'Deny', 'Action': 'ecs:DescribeClusters', 'Resource': '" + DEV + "'}")));

        assertThatThrownBy(() -> access.authorize(ALICE, "DescribeClusters",
                DescribeClustersRequest.builder().clusters("other", "dev").build(), ORIGIN))
                .hasMessage("User: arn:aws:iam::123456789012:user/alice is not authorized to perform:"
                        + " ecs:DescribeClusters on resource: " + DEV
                        + " with an explicit deny in an identity-based policy");
    }

    @Test
    void describingSeveralResourcesIsRefusedWholeWhenOneIsDenied() {
        AccessControl access = world.access(IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:DescribeClusters', 'Resource': '" + PROD + "'}")));

        assertThatThrownBy(() -> access.authorize(ALICE, "DescribeClusters",
                DescribeClustersRequest.builder().clusters("prod", "dev").build(), ORIGIN))
                .hasMessageContaining("on resource: " + DEV + " because");
        access.authorize(ALICE, "DescribeClusters", DescribeClustersRequest.builder().clusters("prod").build(), ORIGIN);
    }

    @Test
    void theAccountRootIsNeverAsked() {
        RecordingAuthorizer nothing = new RecordingAuthorizer(NOTHING_ALLOWED);

        world.access(nothing).authorize(ROOT, "RunTask", RunTaskRequest.builder().taskDefinition("web:1").build(),
                ORIGIN);

        assertThat(nothing.decided()).isEmpty();
    }

    @Test
    void anotherAccountsRootIsNotThisAccountsRoot() {
        Caller otherRoot = new Caller(SCOPE, "arn:aws:iam::210987654321:root");

        assertThatThrownBy(() -> world.access(NOTHING_ALLOWED).authorize(otherRoot, "ListClusters",
                ListClustersRequest.builder().build(), ORIGIN)).hasMessageContaining("ecs:ListClusters on resource: *");
    }

    @Test
    void anOperationWithoutARuleIsRefused() {
        assertThatThrownBy(() -> world.access(IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': '*', 'Resource': '*'}"))).authorize(ALICE, "ExecuteCommand",
                ListClustersRequest.builder().build(), ORIGIN))
                .hasMessageContaining("ecs:ExecuteCommand on resource: *");
    }

    @Test
    void agentSessionsAreAskedOnTheContainerInstanceWithTheCluster() {
        RecordingAuthorizer agent = new RecordingAuthorizer(IdentityPolicy.of(statement(
                "{'Effect': 'Allow', 'Action': 'ecs:Poll', 'Resource': '*',"
                        + " 'Condition': {'ArnEquals': {'ecs:cluster': '" + PROD + "'}}}")));
        AccessControl access = world.access(agent);

        access.authorizeAgentSession(ALICE, AccessControl.AgentSession.ACS, "prod", I1, ORIGIN);

        assertThat(agent.decided()).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo("ecs:Poll");
            assertThat(r.resource()).isEqualTo(I1);
            assertThat(r.context()).containsEntry("aws:ResourceTag/env", List.of("prod"));
        });
        assertThatThrownBy(() -> access.authorizeAgentSession(ALICE, AccessControl.AgentSession.TELEMETRY, PROD, I1,
                ORIGIN)).hasMessageContaining("ecs:StartTelemetrySession on resource: " + I1);
    }

    private AccessRequest single(EcsRequest request) {
        String operation = request.getClass().getSimpleName().replaceFirst("Request$", "");
        List<AccessRequest> requests = requests(operation, request);
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private List<AccessRequest> requests(String operation, EcsRequest request) {
        return world.access(NOTHING_ALLOWED).requests(ALICE, operation, request, ORIGIN);
    }
}
