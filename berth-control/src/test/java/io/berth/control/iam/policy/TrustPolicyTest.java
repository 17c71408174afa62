package io.berth.control.iam.policy;

import static io.berth.control.iam.policy.Policies.request;
import static io.berth.control.iam.policy.Policies.trust;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Decision;
import org.junit.jupiter.api.Test;

/** Who a role's trust policy lets assume it: Principal and NotPrincipal matching. */
class TrustPolicyTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/app";
    private static final AccessRequest ASSUME = request("sts:AssumeRole", ROLE);
    private static final Principal ECS_TASKS = Principal.service("ecs-tasks.amazonaws.com");
    private static final Principal ALICE = Principal.aws("arn:aws:iam::123456789012:user/alice");
    private static final Principal ROOT = Principal.aws("arn:aws:iam::123456789012:root");
    private static final Principal STRANGER = Principal.aws("arn:aws:iam::999999999999:user/mallory");
    private static final Principal DEPLOYER_SESSION = Principal.aws("arn:aws:sts::123456789012:assumed-role/deployer/ci");

    private static PolicyDocument trusting(String principal) {
        return trust("{'Effect':'Allow','Principal':" + principal + ",'Action':'sts:AssumeRole'}");
    }

    private static boolean assumes(PolicyDocument policy, Principal caller) {
        return PolicyEvaluator.allowsAssume(policy, caller, ASSUME);
    }

    @Test
    void aServicePrincipalMatchesThatServiceOnly() {
        PolicyDocument policy = trusting("{'Service':'ecs-tasks.amazonaws.com'}");
        assertThat(assumes(policy, ECS_TASKS)).isTrue();
        assertThat(assumes(policy, Principal.service("ec2.amazonaws.com"))).isFalse();
        assertThat(assumes(policy, ALICE)).isFalse();
        assertThat(assumes(trusting("{'Service':['ec2.amazonaws.com','ecs-tasks.amazonaws.com']}"), ECS_TASKS)).isTrue();
    }

    @Test
    void anAccountIdOrRootArnMatchesEveryPrincipalOfThatAccount() {
        for (String account : new String[] {"'123456789012'", "'arn:aws:iam::123456789012:root'"}) {
            PolicyDocument policy = trusting("{'AWS':" + account + "}");
            assertThat(assumes(policy, ALICE)).as(account).isTrue();
            assertThat(assumes(policy, ROOT)).as(account).isTrue();
            assertThat(assumes(policy, DEPLOYER_SESSION)).as(account).isTrue();
            assertThat(assumes(policy, STRANGER)).as(account).isFalse();
            assertThat(assumes(policy, ECS_TASKS)).as(account).isFalse();
        }
    }

    @Test
    void aUserArnMatchesThatUserOnly() {
        PolicyDocument policy = trusting("{'AWS':['arn:aws:iam::123456789012:user/alice']}");
        assertThat(assumes(policy, ALICE)).isTrue();
        assertThat(assumes(policy, Principal.aws("arn:aws:iam::123456789012:user/bob"))).isFalse();
        assertThat(assumes(policy, ROOT)).isFalse();
    }

    @Test
    void aRoleArnMatchesTheSessionsOfThatRole() {
        PolicyDocument policy = trusting("{'AWS':'arn:aws:iam::123456789012:role/ops/deployer'}");
        assertThat(assumes(policy, DEPLOYER_SESSION)).isTrue();
        assertThat(assumes(policy, Principal.aws("arn:aws:sts::123456789012:assumed-role/other/ci"))).isFalse();
        assertThat(assumes(policy, Principal.aws("arn:aws:sts::999999999999:assumed-role/deployer/ci"))).isFalse();
    }

    @Test
    void aSessionArnMatchesThatSessionOnly() {
        PolicyDocument policy = trusting("{'AWS':'arn:aws:sts::123456789012:assumed-role/deployer/ci'}");
        assertThat(assumes(policy, DEPLOYER_SESSION)).isTrue();
        assertThat(assumes(policy, Principal.aws("arn:aws:sts::123456789012:assumed-role/deployer/other"))).isFalse();
    }

    @Test
    void starsMatchEveryoneOrEveryAwsPrincipal() {
        assertThat(assumes(trusting("'*'"), STRANGER)).isTrue();
        assertThat(assumes(trusting("'*'"), ECS_TASKS)).isTrue();
        assertThat(assumes(trusting("{'AWS':'*'}"), STRANGER)).isTrue();
        assertThat(assumes(trusting("{'AWS':'*'}"), ECS_TASKS)).isFalse();
    }

    @Test
    void notPrincipalAppliesToEveryoneElse() {
        PolicyDocument policy = trust("{'Effect':'Allow','Principal':{'AWS':'123456789012'},'Action':'sts:AssumeRole'}",
                "{'Effect':'Deny','NotPrincipal':{'AWS':'arn:aws:iam::123456789012:user/alice'},'Action':'sts:AssumeRole'}");
        assertThat(assumes(policy, ALICE)).isTrue();
        assertThat(PolicyEvaluator.evaluateResourcePolicy(policy, Principal.aws("arn:aws:iam::123456789012:user/bob"),
                ASSUME)).isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void theActionAndConditionsMustMatchToo() {
        PolicyDocument policy = trust("{'Effect':'Allow','Principal':{'Service':'ecs-tasks.amazonaws.com'},"
                + "'Action':'sts:AssumeRole','Condition':{'StringEquals':{'aws:SourceAccount':'123456789012'}}}");
        assertThat(PolicyEvaluator.allowsAssume(policy, ECS_TASKS,
                request("sts:AssumeRole", ROLE, "aws:SourceAccount", "123456789012"))).isTrue();
        assertThat(PolicyEvaluator.allowsAssume(policy, ECS_TASKS,
                request("sts:AssumeRole", ROLE, "aws:SourceAccount", "999999999999"))).isFalse();
        assertThat(PolicyEvaluator.allowsAssume(policy, ECS_TASKS, request("sts:TagSession", ROLE,
                "aws:SourceAccount", "123456789012"))).isFalse();
    }

    @Test
    void aRefusalIsExplainedAsByAResourceBasedPolicy() {
        Evaluation evaluation = PolicyEvaluator.evaluateResourcePolicyExplained(
                trusting("{'Service':'ecs-tasks.amazonaws.com'}"), ALICE, ASSUME);
        assertThat(evaluation.decision()).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(evaluation.reason()).isEqualTo("because no resource-based policy allows the sts:AssumeRole action");
    }

    @Test
    void principalKeysDescribeTheCaller() {
        PolicyDocument policy = trust("{'Effect':'Allow','Principal':'*','Action':'sts:AssumeRole',"
                + "'Condition':{'StringEquals':{'aws:PrincipalAccount':'123456789012','aws:PrincipalType':'AssumedRole'}}}");
        assertThat(assumes(policy, DEPLOYER_SESSION)).isTrue();
        assertThat(assumes(policy, ALICE)).isFalse();
        assertThat(assumes(policy, ECS_TASKS)).isFalse();
        PolicyDocument byService = trust("{'Effect':'Allow','Principal':'*','Action':'sts:AssumeRole',"
                + "'Condition':{'StringEquals':{'aws:PrincipalServiceName':'ecs-tasks.amazonaws.com'}}}");
        assertThat(assumes(byService, ECS_TASKS)).isTrue();
        assertThat(assumes(byService, ALICE)).isFalse();
    }
}
