package io.berth.control.iam.policy;

import static io.berth.control.iam.policy.Policies.allowWhen;
import static io.berth.control.iam.policy.Policies.allowed;
import static io.berth.control.iam.policy.Policies.context;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ForAnyValue and ForAllValues over multivalued keys such as {@code aws:TagKeys}. */
class SetQualifierTest {

    private static boolean holds(String condition, Object... keysAndValues) {
        return allowed(allowWhen(condition), context(keysAndValues));
    }

    @Test
    void forAllValuesWantsEveryRequestValueAmongThePolicyValues() {
        String condition = "{'ForAllValues:StringEquals':{'aws:TagKeys':['env','team']}}";
        assertThat(holds(condition, "aws:TagKeys", List.of("env"))).isTrue();
        assertThat(holds(condition, "aws:TagKeys", List.of("env", "team"))).isTrue();
        assertThat(holds(condition, "aws:TagKeys", List.of("env", "cost"))).isFalse();
    }

    @Test
    void forAllValuesHoldsForAMissingOrEmptyKey() {
        String condition = "{'ForAllValues:StringEquals':{'aws:TagKeys':['env','team']}}";
        assertThat(holds(condition)).isTrue();
        assertThat(holds(condition, "aws:TagKeys", List.of())).isTrue();
    }

    @Test
    void forAnyValueWantsAtLeastOneRequestValueAmongThePolicyValues() {
        String condition = "{'ForAnyValue:StringEquals':{'aws:TagKeys':['env','team']}}";
        assertThat(holds(condition, "aws:TagKeys", List.of("cost", "team"))).isTrue();
        assertThat(holds(condition, "aws:TagKeys", List.of("cost", "owner"))).isFalse();
    }

    @Test
    void forAnyValueFailsForAMissingOrEmptyKeyEvenWithIfExists() {
        String condition = "{'ForAnyValue:StringEquals':{'aws:TagKeys':'env'}}";
        assertThat(holds(condition)).isFalse();
        assertThat(holds(condition, "aws:TagKeys", List.of())).isFalse();
        assertThat(holds("{'ForAnyValue:StringEqualsIfExists':{'aws:TagKeys':'env'}}")).isFalse();
    }

    @Test
    void forAllValuesWithANegatedOperatorWantsNoRequestValueAmongThePolicyValues() {
        String condition = "{'ForAllValues:StringNotEquals':{'aws:TagKeys':['secret','owner']}}";
        assertThat(holds(condition, "aws:TagKeys", List.of("env", "team"))).isTrue();
        assertThat(holds(condition, "aws:TagKeys", List.of("env", "owner"))).isFalse();
        assertThat(holds(condition)).isTrue();
    }

    @Test
    void forAnyValueWithANegatedOperatorWantsOneRequestValueOutsideThePolicyValues() {
        String condition = "{'ForAnyValue:StringNotLike':{'aws:TagKeys':'aws:*'}}";
        assertThat(holds(condition, "aws:TagKeys", List.of("aws:cloudformation:stack", "env"))).isTrue();
        assertThat(holds(condition, "aws:TagKeys", List.of("aws:cloudformation:stack"))).isFalse();
        assertThat(holds(condition)).isFalse();
    }

    @Test
    void qualifiersWorkWithLikeAndArnOperators() {
        assertThat(holds("{'ForAllValues:StringLike':{'aws:TagKeys':'team-*'}}",
                "aws:TagKeys", List.of("team-a", "team-b"))).isTrue();
        assertThat(holds("{'ForAllValues:StringLike':{'aws:TagKeys':'team-*'}}",
                "aws:TagKeys", List.of("team-a", "env"))).isFalse();
        assertThat(holds("{'ForAnyValue:ArnLike':{'ecs:container-instances':'arn:aws:ecs:*:*:container-instance/prod/*'}}",
                "ecs:container-instances", List.of("arn:aws:ecs:us-east-1:1:container-instance/dev/1",
                        "arn:aws:ecs:us-east-1:1:container-instance/prod/2"))).isTrue();
    }

    @Test
    void withoutAQualifierAMultivaluedKeyMatchesWhenAnyValueDoes() {
        assertThat(holds("{'StringEquals':{'aws:TagKeys':'env'}}", "aws:TagKeys", List.of("team", "env"))).isTrue();
        assertThat(holds("{'StringNotEquals':{'aws:TagKeys':'env'}}", "aws:TagKeys", List.of("team", "env")))
                .isFalse();
    }
}
