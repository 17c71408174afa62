package io.berth.control.iam.policy;

import static io.berth.control.iam.policy.Policies.allowed;
import static io.berth.control.iam.policy.Policies.identity;
import static io.berth.control.iam.policy.Policies.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Policy variables in resources and condition values, their defaults, and the escapes ${*}, ${?}, ${$}. */
class PolicyVariableTest {

    private static final String ALICE = "arn:aws:iam::123456789012:user/team/alice";
    private static final String SESSION = "arn:aws:sts::123456789012:assumed-role/deployer/ci";

    private static Decision decideAs(String principalArn, PolicyDocument policy, AccessRequest request) {
        return PolicyEvaluator.evaluate(List.of(policy), principalArn, request);
    }

    private static String cluster(String name) {
        return "arn:aws:ecs:us-east-1:123456789012:cluster/" + name;
    }

    @Test
    void aResourceMayNameTheUserAskingByTheirName() {
        PolicyDocument policy = identity("{'Effect':'Allow','Action':'ecs:*','Resource':'arn:aws:ecs:*:*:cluster/${aws:username}-*'}");
        assertThat(decideAs(ALICE, policy, request("ecs:DescribeClusters", cluster("alice-dev")))).isEqualTo(Decision.ALLOW);
        assertThat(decideAs(ALICE, policy, request("ecs:DescribeClusters", cluster("bob-dev"))))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void aVariableWithoutValueMatchesNothing() {
        PolicyDocument policy = identity("{'Effect':'Allow','Action':'ecs:*','Resource':'arn:aws:ecs:*:*:cluster/${aws:username}-*'}");
        // a role session has no aws:username
        assertThat(decideAs(SESSION, policy, request("ecs:DescribeClusters", cluster("-dev"))))
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decideAs(SESSION, policy, request("ecs:DescribeClusters", cluster("${aws:username}-dev"))))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void aDefaultValueStandsInForAMissingKey() {
        PolicyDocument policy = PolicyDocument.parse("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecs:*",
                  "Resource": "arn:aws:ecs:*:*:cluster/${aws:username, 'shared'}"}]}""");
        assertThat(decideAs(SESSION, policy, request("ecs:DescribeClusters", cluster("shared")))).isEqualTo(Decision.ALLOW);
        assertThat(decideAs(ALICE, policy, request("ecs:DescribeClusters", cluster("alice")))).isEqualTo(Decision.ALLOW);
        assertThat(decideAs(ALICE, policy, request("ecs:DescribeClusters", cluster("shared"))))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void principalArnOfASessionIsItsRole() {
        PolicyDocument policy = identity("{'Effect':'Allow','Action':'ecs:*','Resource':'*',"
                + "'Condition':{'StringEquals':{'ecs:ResourceTag/owner':'${aws:PrincipalArn}'}}}");
        assertThat(decideAs(SESSION, policy, request("ecs:StopTask", "*", "ecs:ResourceTag/owner",
                "arn:aws:iam::123456789012:role/deployer"))).isEqualTo(Decision.ALLOW);
        assertThat(decideAs(SESSION, policy, request("ecs:StopTask", "*", "ecs:ResourceTag/owner", SESSION)))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void variablesResolveAnyKeyOfTheRequestWithoutRegardToCase() {
        PolicyDocument policy = identity("{'Effect':'Allow','Action':'ecs:*','Resource':'*',"
                + "'Condition':{'StringLike':{'ecs:cluster':'*/${AWS:PrincipalTag/Team}-*'}}}");
        assertThat(allowed(policy, request("ecs:RunTask", "*", "aws:PrincipalTag/team", "blue",
                "ecs:cluster", cluster("blue-prod")))).isTrue();
        assertThat(allowed(policy, request("ecs:RunTask", "*", "aws:PrincipalTag/team", "blue",
                "ecs:cluster", cluster("green-prod")))).isFalse();
    }

    @Test
    void aVariableOfSeveralValuesDoesNotResolve() {
        PolicyDocument policy = identity("{'Effect':'Allow','Action':'ecs:*','Resource':'*',"
                + "'Condition':{'StringEquals':{'ecs:cluster':'${aws:TagKeys}'}}}");
        assertThat(allowed(policy, request("ecs:RunTask", "*", "aws:TagKeys", List.of("a", "b"), "ecs:cluster", "a")))
                .isFalse();
        assertThat(allowed(policy, request("ecs:RunTask", "*", "aws:TagKeys", List.of("a"), "ecs:cluster", "a")))
                .isTrue();
    }

    @Test
    void escapesStandForTheCharactersThemselves() {
        PolicyDocument policy = identity("{'Effect':'Allow','Action':'ecs:*','Resource':'*',"
                + "'Condition':{'StringLike':{'ecs:cluster':'a${*}b${?}c${$}*'}}}");
        assertThat(allowed(policy, request("ecs:RunTask", "*", "ecs:cluster", "a*b?c$d"))).isTrue();
        assertThat(allowed(policy, request("ecs:RunTask", "*", "ecs:cluster", "axbyc$d"))).isFalse();
    }

    @Test
    void version2008TakesVariablesLiterally() {
        PolicyDocument policy = PolicyDocument.parse("""
                {"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "ecs:*",
                  "Resource": "arn:aws:ecs:*:*:cluster/${aws:username}"}]}""");
        assertThat(decideAs(ALICE, policy, request("ecs:DescribeClusters", cluster("alice"))))
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decideAs(ALICE, policy, request("ecs:DescribeClusters", cluster("${aws:username}"))))
                .isEqualTo(Decision.ALLOW);
    }

    @Test
    void aNegatedOperatorWithAnUnresolvedVariableHolds() {
        PolicyDocument denyOthers = identity("{'Effect':'Allow','Action':'*','Resource':'*'}",
                "{'Effect':'Deny','Action':'ecs:*','Resource':'*',"
                        + "'Condition':{'StringNotEquals':{'ecs:ResourceTag/owner':'${aws:username}'}}}");
        assertThat(decideAs(ALICE, denyOthers, request("ecs:StopTask", "*", "ecs:ResourceTag/owner", "alice")))
                .isEqualTo(Decision.ALLOW);
        assertThat(decideAs(ALICE, denyOthers, request("ecs:StopTask", "*", "ecs:ResourceTag/owner", "bob")))
                .isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(decideAs(SESSION, denyOthers, request("ecs:StopTask", "*", "ecs:ResourceTag/owner", "alice")))
                .isEqualTo(Decision.EXPLICIT_DENY);
    }
}
