package io.berth.control.iam.policy;

import static io.berth.control.iam.policy.Policies.CLUSTER;
import static io.berth.control.iam.policy.Policies.allow;
import static io.berth.control.iam.policy.Policies.allowed;
import static io.berth.control.iam.policy.Policies.identity;
import static io.berth.control.iam.policy.Policies.request;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How Action and Resource patterns match: actions ignore case, ARNs keep wildcards within their segment. */
class WildcardMatchingTest {

    private static boolean actionAllowed(String pattern, String action) {
        return allowed(identity(allow(pattern, "*")), request(action, CLUSTER));
    }

    private static boolean resourceAllowed(String pattern, String resource) {
        return allowed(identity(allow("ecs:*", pattern)), request("ecs:DescribeClusters", resource));
    }

    @Test
    void actionsMatchWithoutRegardToCase() {
        assertThat(actionAllowed("ecs:RunTask", "ecs:RunTask")).isTrue();
        assertThat(actionAllowed("ECS:runtask", "ecs:RunTask")).isTrue();
        assertThat(actionAllowed("ecs:RunTask", "ecs:RunTasks")).isFalse();
        assertThat(actionAllowed("ecs:RunTask", "ec2:RunTask")).isFalse();
    }

    @Test
    void actionWildcards() {
        assertThat(actionAllowed("*", "ecs:RunTask")).isTrue();
        assertThat(actionAllowed("ecs:*", "ecs:RunTask")).isTrue();
        assertThat(actionAllowed("ecs:*", "ec2:RunInstances")).isFalse();
        assertThat(actionAllowed("ecs:Describe*", "ecs:DescribeClusters")).isTrue();
        assertThat(actionAllowed("ecs:describe*", "ecs:DescribeClusters")).isTrue();
        assertThat(actionAllowed("ecs:Describe*", "ecs:ListClusters")).isFalse();
        assertThat(actionAllowed("ecs:*Task*", "ecs:StopTask")).isTrue();
        assertThat(actionAllowed("ecs:*Task*", "ecs:ListTaskDefinitions")).isTrue();
        assertThat(actionAllowed("ecs:*Task*", "ecs:ListClusters")).isFalse();
        assertThat(actionAllowed("ecs:?unTask", "ecs:RunTask")).isTrue();
        assertThat(actionAllowed("ecs:?unTask", "ecs:RRunTask")).isFalse();
        assertThat(actionAllowed("ecs:Submit*StateChange", "ecs:SubmitTaskStateChange")).isTrue();
        assertThat(actionAllowed("ecs:Submit*StateChange", "ecs:SubmitTaskStateChanges")).isFalse();
    }

    @Test
    void resourcesMatchExactlyAndWithCase() {
        assertThat(resourceAllowed(CLUSTER, CLUSTER)).isTrue();
        assertThat(resourceAllowed(CLUSTER, CLUSTER.replace("prod", "Prod"))).isFalse();
        assertThat(resourceAllowed(CLUSTER, CLUSTER + "2")).isFalse();
    }

    @Test
    void starAtTheEndOfASegmentExpandsAcrossColons() {
        assertThat(resourceAllowed("*", CLUSTER)).isTrue();
        assertThat(resourceAllowed("arn:aws:ecs:*", CLUSTER)).isTrue();
        assertThat(resourceAllowed("arn:aws:ecs:*:*:*", CLUSTER)).isTrue();
        assertThat(resourceAllowed("arn:aws:ecs:us-east-1:123456789012:*", CLUSTER)).isTrue();
        assertThat(resourceAllowed("arn:aws:ecs:*:cluster/prod", CLUSTER)).isTrue();
        assertThat(resourceAllowed("arn:aws:ecs:*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1")).isFalse();
        assertThat(resourceAllowed("arn:aws:ecs:us-east-1:123456789012:task-definition/web:*",
                "arn:aws:ecs:us-east-1:123456789012:task-definition/web:12")).isTrue();
    }

    @Test
    void starAcrossSlashesWithinTheResourcePart() {
        assertThat(resourceAllowed("arn:aws:ecs:us-east-1:123456789012:task/prod/*",
                "arn:aws:ecs:us-east-1:123456789012:task/prod/0f3c")).isTrue();
        assertThat(resourceAllowed("arn:aws:ecs:us-east-1:123456789012:task/*/0f3c",
                "arn:aws:ecs:us-east-1:123456789012:task/prod/0f3c")).isTrue();
        assertThat(resourceAllowed("arn:aws:ecs:us-east-1:123456789012:task/prod/*",
                "arn:aws:ecs:us-east-1:123456789012:task/staging/0f3c")).isFalse();
    }

    @Test
    void wildcardsWithinASegmentStayInIt() {
        assertThat(resourceAllowed("arn:aws:ecs:us-*-1:123456789012:cluster/prod", CLUSTER)).isTrue();
        assertThat(resourceAllowed("arn:aws:ecs:us-*-1:123456789012:cluster/prod",
                "arn:aws:ecs:eu-west-1:123456789012:cluster/prod")).isFalse();
        // "us-*" followed by a literal inside the segment cannot eat "east-1:123456789012"
        assertThat(resourceAllowed("arn:aws:ecs:us-*2:cluster/prod", CLUSTER)).isFalse();
        assertThat(resourceAllowed("arn:aws:ecs:us-east-?:123456789012:cluster/prod", CLUSTER)).isTrue();
        assertThat(resourceAllowed("arn:aws:ecs:us-east-1?123456789012:cluster/prod", CLUSTER)).isFalse();
        assertThat(resourceAllowed("arn:aws:ecs:us-east-1:????????????:cluster/pro?", CLUSTER)).isTrue();
    }

    @Test
    void aRequestOnNoParticularResourceIsMatchedOnlyByAStar() {
        assertThat(resourceAllowed("*", "*")).isTrue();
        assertThat(resourceAllowed("arn:aws:ecs:*:*:*", "*")).isFalse();
    }

    @Test
    void patternsWithManyWildcardsStayCorrect() {
        Glob glob = Glob.of("a*b*c?d", false, false);
        assertThat(glob.matches("abcxd")).isTrue();
        assertThat(glob.matches("aXXbYYcZd")).isTrue();
        assertThat(glob.matches("abbbcccd")).isTrue();
        assertThat(glob.matches("abcd")).isFalse();
        Glob arn = Glob.of("arn:*:ecs:*-1:*:cluster/*-prod", false, true);
        assertThat(arn.matches("arn:aws:ecs:us-east-1:1:cluster/eu-prod")).isTrue();
        assertThat(arn.matches("arn:aws:ecs:us-east-2:1:cluster/eu-prod")).isFalse();
        assertThat(arn.matches("arn:aws:ecs:us-east-1:1:cluster/a/b-prod")).isTrue();
    }

    @Test
    void literalPatternsAndRanges() {
        Glob literal = Glob.literal("a*b", false);
        assertThat(literal.matches("a*b")).isTrue();
        assertThat(literal.matches("axb")).isFalse();
        assertThat(Glob.of("ab*", true, false).matches("xxABcd", 2, 6)).isTrue();
        assertThat(Glob.of("", false, false).matches("")).isTrue();
        assertThat(Glob.of("", false, false).matches("a")).isFalse();
        assertThat(Glob.of("**", false, true).matches("")).isTrue();
    }
}
