package io.berth.control.iam.policy;

import static io.berth.control.iam.policy.Policies.CLUSTER;
import static io.berth.control.iam.policy.Policies.USER;
import static io.berth.control.iam.policy.Policies.allow;
import static io.berth.control.iam.policy.Policies.decide;
import static io.berth.control.iam.policy.Policies.deny;
import static io.berth.control.iam.policy.Policies.identity;
import static io.berth.control.iam.policy.Policies.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Precedence of Allow and Deny, NotAction and NotResource, and the explanation of each decision. */
class PolicyEvaluatorTest {

    private static final AccessRequest RUN_TASK = request("ecs:RunTask",
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3", "ecs:cluster", CLUSTER);

    @Test
    void aMatchingAllowAllows() {
        assertThat(decide(identity(allow("ecs:RunTask", "*")), RUN_TASK)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void withoutAnyAllowTheRequestIsImplicitlyDenied() {
        assertThat(decide(identity(allow("ecs:ListClusters", "*")), RUN_TASK)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(PolicyEvaluator.evaluate(List.of(), USER, RUN_TASK)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void anExplicitDenyWinsOverAnyAllowInAnyPolicyAndAnyOrder() {
        PolicyDocument allowAll = identity(allow("*", "*"));
        PolicyDocument denyRun = identity(deny("ecs:RunTask", "*"));
        assertThat(PolicyEvaluator.evaluate(List.of(allowAll, denyRun), USER, RUN_TASK)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(PolicyEvaluator.evaluate(List.of(denyRun, allowAll), USER, RUN_TASK)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(decide(identity(allow("ecs:*", "*"), deny("ecs:Run*", "*")), RUN_TASK))
                .isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void aDenyThatDoesNotMatchLeavesTheAllowStanding() {
        PolicyDocument policy = identity(allow("ecs:*", "*"), deny("ecs:DeleteCluster", "*"));
        assertThat(decide(policy, RUN_TASK)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void aDenyWithAFailingConditionDoesNotApply() {
        PolicyDocument policy = identity(allow("ecs:*", "*"), "{'Effect':'Deny','Action':'ecs:RunTask','Resource':'*',"
                + "'Condition':{'StringEquals':{'ecs:cluster':'" + CLUSTER + "'}}}");
        assertThat(decide(policy, RUN_TASK)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(decide(policy, request("ecs:RunTask", "*", "ecs:cluster", "arn:aws:ecs:us-east-1:1:cluster/dev")))
                .isEqualTo(Decision.ALLOW);
    }

    @Test
    void notActionAppliesToEveryOtherAction() {
        PolicyDocument allowAllButRun = identity("{'Effect':'Allow','NotAction':['ecs:RunTask','ecs:StartTask'],'Resource':'*'}");
        assertThat(decide(allowAllButRun, RUN_TASK)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(allowAllButRun, request("ecs:ListClusters", "*"))).isEqualTo(Decision.ALLOW);

        PolicyDocument denyOutsideEcs = identity(allow("*", "*"), "{'Effect':'Deny','NotAction':'ecs:*','Resource':'*'}");
        assertThat(decide(denyOutsideEcs, RUN_TASK)).isEqualTo(Decision.ALLOW);
        assertThat(decide(denyOutsideEcs, request("iam:CreateUser", "*"))).isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void notResourceAppliesToEveryOtherResource() {
        PolicyDocument policy = identity(allow("ecs:*", "*"),
                "{'Effect':'Deny','Action':'ecs:*','NotResource':['" + CLUSTER + "','arn:aws:ecs:*:*:task-definition/*']}");
        assertThat(decide(policy, request("ecs:DescribeClusters", CLUSTER))).isEqualTo(Decision.ALLOW);
        assertThat(decide(policy, RUN_TASK)).isEqualTo(Decision.ALLOW);
        assertThat(decide(policy, request("ecs:DescribeClusters", "arn:aws:ecs:us-east-1:123456789012:cluster/dev")))
                .isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void theAccountRootMayDoEverything() {
        String root = "arn:aws:iam::123456789012:root";
        assertThat(PolicyEvaluator.evaluate(List.of(), root, RUN_TASK)).isEqualTo(Decision.ALLOW);
        assertThat(PolicyEvaluator.evaluate(List.of(identity(deny("*", "*"))), root, RUN_TASK)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void theSeedsContainerInstancePolicyAllowsTheAgentButNotRunTask() {
        PolicyDocument instancePolicy = identity("{'Effect':'Allow','Action':['ecs:DeregisterContainerInstance',"
                + "'ecs:DiscoverPollEndpoint','ecs:Poll','ecs:RegisterContainerInstance','ecs:StartTelemetrySession',"
                + "'ecs:UpdateContainerInstancesState','ecs:Submit*'],'Resource':'*'}");
        assertThat(decide(instancePolicy, request("ecs:RegisterContainerInstance", CLUSTER))).isEqualTo(Decision.ALLOW);
        assertThat(decide(instancePolicy, request("ecs:SubmitTaskStateChange", CLUSTER))).isEqualTo(Decision.ALLOW);
        assertThat(decide(instancePolicy, request("ecs:Poll", "*"))).isEqualTo(Decision.ALLOW);
        assertThat(decide(instancePolicy, RUN_TASK)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(instancePolicy, request("ecs:DescribeClusters", CLUSTER))).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void anImplicitDenyIsExplainedTheWayAwsWordsIt() {
        Evaluation evaluation = PolicyEvaluator.evaluateExplained(List.of(identity(allow("ecs:List*", "*"))), USER,
                RUN_TASK);
        assertThat(evaluation.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(evaluation.reason()).isEqualTo("because no identity-based policy allows the ecs:RunTask action");
        assertThat(evaluation.accessDeniedMessage(USER, RUN_TASK)).isEqualTo("User: " + USER
                + " is not authorized to perform: ecs:RunTask on resource: "
                + "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3"
                + " because no identity-based policy allows the ecs:RunTask action");
    }

    @Test
    void anExplicitDenyNamesThePolicyAndStatementThatDenied() {
        PolicyDocument allowAll = identity(allow("*", "*"));
        PolicyDocument denyRun = identity("{'Sid':'NoRun','Effect':'Deny','Action':'ecs:RunTask','Resource':'*'}");
        Evaluation evaluation = PolicyEvaluator.evaluateExplained(List.of(allowAll, denyRun), USER, RUN_TASK);
        assertThat(evaluation.decision()).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(evaluation.policyIndex()).isEqualTo(1);
        assertThat(evaluation.sid()).isEqualTo("NoRun");
        assertThat(evaluation.accessDeniedMessage(USER, RUN_TASK))
                .endsWith(" on resource: arn:aws:ecs:us-east-1:123456789012:task-definition/web:3"
                        + " with an explicit deny in an identity-based policy");
    }

    @Test
    void anAllowNamesThePolicyThatAllowed() {
        PolicyDocument listOnly = identity(allow("ecs:List*", "*"));
        PolicyDocument run = identity("{'Sid':'Run','Effect':'Allow','Action':'ecs:RunTask','Resource':'*'}");
        Evaluation evaluation = PolicyEvaluator.evaluateExplained(List.of(listOnly, run), USER, RUN_TASK);
        assertThat(evaluation.allowed()).isTrue();
        assertThat(evaluation.policyIndex()).isEqualTo(1);
        assertThat(evaluation.sid()).isEqualTo("Run");
    }

    @Test
    void aStatementMayHoldOnlyOneObjectInsteadOfAnArray() {
        PolicyDocument policy = PolicyDocument.parse("""
                {"Version": "2012-10-17",
                 "Statement": {"Effect": "Allow", "Action": "ecs:RunTask", "Resource": "*"}}""");
        assertThat(decide(policy, RUN_TASK)).isEqualTo(Decision.ALLOW);
    }
}
