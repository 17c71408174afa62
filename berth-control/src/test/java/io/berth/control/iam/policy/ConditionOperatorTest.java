package io.berth.control.iam.policy;

import static io.berth.control.iam.policy.Policies.allowWhen;
import static io.berth.control.iam.policy.Policies.allowed;
import static io.berth.control.iam.policy.Policies.context;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each condition operator: a match, a mismatch, a request without the key, and the IfExists form.
 * An Allow of everything under the condition is allowed exactly when the condition holds.
 */
class ConditionOperatorTest {

    private static boolean holds(String condition, Object... keysAndValues) {
        return allowed(allowWhen(condition), context(keysAndValues));
    }

    // strings

    @Test
    void stringEqualsIsExactAndCaseSensitive() {
        String condition = "{'StringEquals':{'ecs:cluster':'prod'}}";
        assertThat(holds(condition, "ecs:cluster", "prod")).isTrue();
        assertThat(holds(condition, "ecs:cluster", "Prod")).isFalse();
        assertThat(holds(condition, "ecs:cluster", "prod*")).isFalse();
        assertThat(holds(condition)).isFalse();
        assertThat(holds("{'StringEqualsIfExists':{'ecs:cluster':'prod'}}")).isTrue();
        assertThat(holds("{'StringEqualsIfExists':{'ecs:cluster':'prod'}}", "ecs:cluster", "dev")).isFalse();
    }

    @Test
    void stringEqualsTreatsWildcardsAsPlainCharacters() {
        assertThat(holds("{'StringEquals':{'ecs:cluster':'pr*'}}", "ecs:cluster", "prod")).isFalse();
        assertThat(holds("{'StringEquals':{'ecs:cluster':'pr*'}}", "ecs:cluster", "pr*")).isTrue();
    }

    @Test
    void stringNotEqualsWantsNoneOfTheValuesAndHoldsWithoutTheKey() {
        String condition = "{'StringNotEquals':{'ecs:cluster':['prod','staging']}}";
        assertThat(holds(condition, "ecs:cluster", "dev")).isTrue();
        assertThat(holds(condition, "ecs:cluster", "prod")).isFalse();
        assertThat(holds(condition, "ecs:cluster", "staging")).isFalse();
        assertThat(holds(condition)).isTrue();
        assertThat(holds("{'StringNotEqualsIfExists':{'ecs:cluster':'prod'}}")).isTrue();
        assertThat(holds("{'StringNotEqualsIfExists':{'ecs:cluster':'prod'}}", "ecs:cluster", "prod")).isFalse();
    }

    @Test
    void stringEqualsIgnoreCaseIgnoresCase() {
        String condition = "{'StringEqualsIgnoreCase':{'aws:ResourceTag/env':'PROD'}}";
        assertThat(holds(condition, "aws:ResourceTag/env", "prod")).isTrue();
        assertThat(holds(condition, "aws:ResourceTag/env", "dev")).isFalse();
        assertThat(holds(condition)).isFalse();
        assertThat(holds("{'StringEqualsIgnoreCaseIfExists':{'aws:ResourceTag/env':'PROD'}}")).isTrue();
    }

    @Test
    void stringNotEqualsIgnoreCase() {
        String condition = "{'StringNotEqualsIgnoreCase':{'aws:ResourceTag/env':'PROD'}}";
        assertThat(holds(condition, "aws:ResourceTag/env", "prod")).isFalse();
        assertThat(holds(condition, "aws:ResourceTag/env", "dev")).isTrue();
        assertThat(holds(condition)).isTrue();
        assertThat(holds("{'StringNotEqualsIgnoreCaseIfExists':{'aws:ResourceTag/env':'PROD'}}",
                "aws:ResourceTag/env", "Prod")).isFalse();
    }

    @Test
    void stringLikeTakesWildcards() {
        String condition = "{'StringLike':{'ecs:cluster':['prod-*','qa-??']}}";
        assertThat(holds(condition, "ecs:cluster", "prod-eu")).isTrue();
        assertThat(holds(condition, "ecs:cluster", "qa-01")).isTrue();
        assertThat(holds(condition, "ecs:cluster", "qa-001")).isFalse();
        assertThat(holds(condition, "ecs:cluster", "PROD-eu")).isFalse();
        assertThat(holds(condition)).isFalse();
        assertThat(holds("{'StringLikeIfExists':{'ecs:cluster':'prod-*'}}")).isTrue();
        assertThat(holds("{'StringLikeIfExists':{'ecs:cluster':'prod-*'}}", "ecs:cluster", "dev")).isFalse();
    }

    @Test
    void stringNotLike() {
        String condition = "{'StringNotLike':{'ecs:cluster':'prod-*'}}";
        assertThat(holds(condition, "ecs:cluster", "dev-eu")).isTrue();
        assertThat(holds(condition, "ecs:cluster", "prod-eu")).isFalse();
        assertThat(holds(condition)).isTrue();
        assertThat(holds("{'StringNotLikeIfExists':{'ecs:cluster':'prod-*'}}", "ecs:cluster", "prod-1")).isFalse();
    }

    @Test
    void conditionKeysAreCaseInsensitive() {
        assertThat(holds("{'StringEquals':{'ECS:Cluster':'prod'}}", "ecs:cluster", "prod")).isTrue();
        assertThat(holds("{'StringEquals':{'ecs:cluster':'prod'}}", "Ecs:CLUSTER", "prod")).isTrue();
    }

    @Test
    void operatorNamesMatchWithoutRegardToCase() {
        assertThat(holds("{'stringequals':{'ecs:cluster':'prod'}}", "ecs:cluster", "prod")).isTrue();
    }

    // numbers

    @Test
    void numericEqualsAndNotEquals() {
        assertThat(holds("{'NumericEquals':{'ecs:count':'10'}}", "ecs:count", "10")).isTrue();
        assertThat(holds("{'NumericEquals':{'ecs:count':'10'}}", "ecs:count", "10.0")).isTrue();
        assertThat(holds("{'NumericEquals':{'ecs:count':10}}", "ecs:count", "11")).isFalse();
        assertThat(holds("{'NumericEquals':{'ecs:count':'10'}}")).isFalse();
        assertThat(holds("{'NumericEqualsIfExists':{'ecs:count':'10'}}")).isTrue();
        assertThat(holds("{'NumericNotEquals':{'ecs:count':'10'}}", "ecs:count", "11")).isTrue();
        assertThat(holds("{'NumericNotEquals':{'ecs:count':'10'}}", "ecs:count", "10")).isFalse();
        assertThat(holds("{'NumericNotEquals':{'ecs:count':'10'}}")).isTrue();
    }

    @Test
    void numericLessThan() {
        String condition = "{'NumericLessThan':{'ecs:count':'10'}}";
        assertThat(holds(condition, "ecs:count", "9")).isTrue();
        assertThat(holds(condition, "ecs:count", "10")).isFalse();
        assertThat(holds(condition, "ecs:count", "ten")).isFalse();
        assertThat(holds(condition)).isFalse();
        assertThat(holds("{'NumericLessThanIfExists':{'ecs:count':'10'}}")).isTrue();
    }

    @Test
    void numericLessThanEquals() {
        String condition = "{'NumericLessThanEquals':{'ecs:count':'10'}}";
        assertThat(holds(condition, "ecs:count", "10")).isTrue();
        assertThat(holds(condition, "ecs:count", "10.5")).isFalse();
        assertThat(holds(condition)).isFalse();
        assertThat(holds("{'NumericLessThanEqualsIfExists':{'ecs:count':'10'}}")).isTrue();
    }

    @Test
    void numericGreaterThan() {
        String condition = "{'NumericGreaterThan':{'ecs:count':'10'}}";
        assertThat(holds(condition, "ecs:count", "11")).isTrue();
        assertThat(holds(condition, "ecs:count", "10")).isFalse();
        assertThat(holds(condition)).isFalse();
        assertThat(holds("{'NumericGreaterThanIfExists':{'ecs:count':'10'}}")).isTrue();
    }

    @Test
    void numericGreaterThanEquals() {
        String condition = "{'NumericGreaterThanEquals':{'ecs:count':'-1.5'}}";
        assertThat(holds(condition, "ecs:count", "-1.5")).isTrue();
        assertThat(holds(condition, "ecs:count", "-2")).isFalse();
        assertThat(holds(condition)).isFalse();
        assertThat(holds("{'NumericGreaterThanEqualsIfExists':{'ecs:count':'1'}}")).isTrue();
    }

    // dates

    @Test
    void dateEqualsReadsIsoAndEpochSeconds() {
        String condition = "{'DateEquals':{'aws:CurrentTime':'2026-01-01T00:00:00Z'}}";
        assertThat(holds(condition, "aws:CurrentTime", "2026-01-01T00:00:00Z")).isTrue();
        assertThat(holds(condition, "aws:CurrentTime", "2026-01-01T01:00:00+01:00")).isTrue();
        assertThat(holds(condition, "aws:CurrentTime", "1767225600")).isTrue();
        assertThat(holds(condition, "aws:CurrentTime", "2026-01-01T00:00:01Z")).isFalse();
        assertThat(holds("{'DateEquals':{'ecs:when':'2026-01-01'}}")).isFalse();
        assertThat(holds("{'DateEqualsIfExists':{'ecs:when':'2026-01-01'}}")).isTrue();
    }

    @Test
    void aRequestDateBeyondWhatTimeHoldsIsNoDate() {
        String condition = "{'DateLessThan':{'aws:RequestTag/expires':'2026-06-01T00:00:00Z'}}";
        assertThat(holds(condition, "aws:RequestTag/expires", "99999999999999999")).isFalse();
        assertThat(holds("{'DateNotEquals':{'aws:RequestTag/expires':'2026-06-01'}}",
                "aws:RequestTag/expires", "-99999999999999999")).isTrue();
    }

    @Test
    void dateNotEquals() {
        String condition = "{'DateNotEquals':{'ecs:when':'2026-01-01'}}";
        assertThat(holds(condition, "ecs:when", "2026-01-02T00:00:00Z")).isTrue();
        assertThat(holds(condition, "ecs:when", "2026-01-01T00:00:00Z")).isFalse();
        assertThat(holds(condition)).isTrue();
    }

    @Test
    void dateLessThan() {
        String condition = "{'DateLessThan':{'aws:CurrentTime':'2026-06-01T00:00:00Z'}}";
        assertThat(holds(condition, "aws:CurrentTime", "2026-05-31T23:59:59Z")).isTrue();
        assertThat(holds(condition, "aws:CurrentTime", "2026-06-01T00:00:00Z")).isFalse();
        assertThat(holds("{'DateLessThan':{'ecs:when':'2026-06-01T00:00:00Z'}}")).isFalse();
        assertThat(holds("{'DateLessThanIfExists':{'ecs:when':'2026-06-01T00:00:00Z'}}")).isTrue();
    }

    @Test
    void dateLessThanEquals() {
        String condition = "{'DateLessThanEquals':{'ecs:when':'1780272000'}}";
        assertThat(holds(condition, "ecs:when", "2026-06-01T00:00:00Z")).isTrue();
        assertThat(holds(condition, "ecs:when", "2026-06-01T00:00:01Z")).isFalse();
        assertThat(holds(condition)).isFalse();
    }

    @Test
    void dateGreaterThan() {
        String condition = "{'DateGreaterThan':{'ecs:when':'2026-06-01T00:00:00Z'}}";
        assertThat(holds(condition, "ecs:when", "2026-06-01T00:00:01Z")).isTrue();
        assertThat(holds(condition, "ecs:when", "2026-06-01T00:00:00Z")).isFalse();
        assertThat(holds(condition, "ecs:when", "not a date")).isFalse();
        assertThat(holds(condition)).isFalse();
        assertThat(holds("{'DateGreaterThanIfExists':{'ecs:when':'2026-06-01T00:00:00Z'}}")).isTrue();
    }

    @Test
    void dateGreaterThanEquals() {
        String condition = "{'DateGreaterThanEquals':{'ecs:when':'2026-06-01T00:00:00Z'}}";
        assertThat(holds(condition, "ecs:when", "2026-06-01T00:00:00Z")).isTrue();
        assertThat(holds(condition, "ecs:when", "2026-05-01T00:00:00Z")).isFalse();
        assertThat(holds(condition)).isFalse();
    }

    @Test
    void currentTimeComesFromTheClockWhenTheRequestDoesNotCarryIt() {
        assertThat(holds("{'DateGreaterThan':{'aws:CurrentTime':'2000-01-01T00:00:00Z'}}")).isTrue();
        assertThat(holds("{'DateLessThan':{'aws:CurrentTime':'2000-01-01T00:00:00Z'}}")).isFalse();
        assertThat(holds("{'NumericGreaterThan':{'aws:EpochTime':'946684800'}}")).isTrue();
    }

    // booleans binary and addresses

    @Test
    void bool() {
        String condition = "{'Bool':{'aws:SecureTransport':'true'}}";
        assertThat(holds(condition, "aws:SecureTransport", "true")).isTrue();
        assertThat(holds(condition, "aws:SecureTransport", "TRUE")).isTrue();
        assertThat(holds(condition, "aws:SecureTransport", "false")).isFalse();
        assertThat(holds(condition)).isFalse();
        assertThat(holds("{'Bool':{'aws:SecureTransport':false}}", "aws:SecureTransport", "false")).isTrue();
        assertThat(holds("{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}")).isTrue();
        assertThat(holds("{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}",
                "aws:MultiFactorAuthPresent", "true")).isFalse();
    }

    @Test
    void binaryEqualsComparesDecodedBytes() {
        String condition = "{'BinaryEquals':{'ecs:blob':'QmVydGg='}}";
        assertThat(holds(condition, "ecs:blob", "QmVydGg=")).isTrue();
        assertThat(holds(condition, "ecs:blob", "QmVydGh4")).isFalse();
        assertThat(holds(condition)).isFalse();
        assertThat(holds("{'BinaryEqualsIfExists':{'ecs:blob':'QmVydGg='}}")).isTrue();
    }

    @Test
    void ipAddressMatchesIpv4Blocks() {
        String condition = "{'IpAddress':{'aws:SourceIp':['203.0.113.0/24','198.51.100.7']}}";
        assertThat(holds(condition, "aws:SourceIp", "203.0.113.200")).isTrue();
        assertThat(holds(condition, "aws:SourceIp", "198.51.100.7")).isTrue();
        assertThat(holds(condition, "aws:SourceIp", "198.51.100.8")).isFalse();
        assertThat(holds(condition, "aws:SourceIp", "203.0.114.1")).isFalse();
        assertThat(holds(condition, "aws:SourceIp", "2001:db8::1")).isFalse();
        assertThat(holds(condition)).isFalse();
        assertThat(holds("{'IpAddressIfExists':{'aws:SourceIp':'10.0.0.0/8'}}")).isTrue();
    }

    @Test
    void ipAddressMatchesIpv6BlocksAndOddPrefixes() {
        String condition = "{'IpAddress':{'aws:SourceIp':['2001:db8::/32','10.64.0.0/10']}}";
        assertThat(holds(condition, "aws:SourceIp", "2001:db8:0:1::42")).isTrue();
        assertThat(holds(condition, "aws:SourceIp", "2001:0DB8:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(holds(condition, "aws:SourceIp", "2001:db9::1")).isFalse();
        assertThat(holds(condition, "aws:SourceIp", "10.127.255.255")).isTrue();
        assertThat(holds(condition, "aws:SourceIp", "10.128.0.0")).isFalse();
        assertThat(holds(condition, "aws:SourceIp", "::ffff:10.64.0.1")).isTrue();
        assertThat(holds(condition, "aws:SourceIp", "not-an-address")).isFalse();
    }

    @Test
    void notIpAddress() {
        String condition = "{'NotIpAddress':{'aws:SourceIp':'192.0.2.0/24'}}";
        assertThat(holds(condition, "aws:SourceIp", "192.0.3.1")).isTrue();
        assertThat(holds(condition, "aws:SourceIp", "192.0.2.1")).isFalse();
        assertThat(holds(condition)).isTrue();
        assertThat(holds("{'NotIpAddressIfExists':{'aws:SourceIp':'192.0.2.0/24'}}", "aws:SourceIp", "192.0.2.9"))
                .isFalse();
    }

    // arns

    private static final String ROLE = "arn:aws:iam::123456789012:role/app";

    @Test
    void arnEqualsMatchesEachPartWithWildcards() {
        assertThat(holds("{'ArnEquals':{'aws:SourceArn':'" + ROLE + "'}}", "aws:SourceArn", ROLE)).isTrue();
        assertThat(holds("{'ArnEquals':{'aws:SourceArn':'arn:aws:iam::*:role/*'}}", "aws:SourceArn", ROLE)).isTrue();
        assertThat(holds("{'ArnEquals':{'aws:SourceArn':'arn:aws:iam::*:user/*'}}", "aws:SourceArn", ROLE)).isFalse();
        assertThat(holds("{'ArnEquals':{'aws:SourceArn':'" + ROLE + "'}}")).isFalse();
        assertThat(holds("{'ArnEqualsIfExists':{'aws:SourceArn':'" + ROLE + "'}}")).isTrue();
    }

    @Test
    void arnLikeKeepsWildcardsWithinTheirPart() {
        String condition = "{'ArnLike':{'aws:SourceArn':'arn:aws:ecs:*:123456789012:cluster/*'}}";
        assertThat(holds(condition, "aws:SourceArn", "arn:aws:ecs:eu-west-1:123456789012:cluster/a")).isTrue();
        assertThat(holds(condition, "aws:SourceArn", "arn:aws:ecs:eu-west-1:999999999999:cluster/a")).isFalse();
        // the region wildcard may not swallow the account part
        assertThat(holds("{'ArnLike':{'aws:SourceArn':'arn:aws:ecs:*:cluster/a'}}",
                "aws:SourceArn", "arn:aws:ecs:eu-west-1:123456789012:cluster/a")).isFalse();
        assertThat(holds(condition, "aws:SourceArn", "not-an-arn")).isFalse();
        assertThat(holds(condition)).isFalse();
        assertThat(holds("{'ArnLikeIfExists':{'aws:SourceArn':'arn:aws:ecs:*:*:*'}}")).isTrue();
    }

    @Test
    void arnLikeIsCaseSensitiveAndItsLastPartMayHoldColons() {
        String condition = "{'ArnLike':{'aws:SourceArn':'arn:aws:logs:*:*:log-group:*'}}";
        assertThat(holds(condition, "aws:SourceArn", "arn:aws:logs:us-east-1:1:log-group:app:log-stream:x"))
                .isTrue();
        assertThat(holds(condition, "aws:SourceArn", "arn:aws:logs:us-east-1:1:LOG-GROUP:app")).isFalse();
    }

    @Test
    void arnNotEqualsAndArnNotLike() {
        String notEquals = "{'ArnNotEquals':{'aws:SourceArn':'arn:aws:iam::*:role/admin'}}";
        assertThat(holds(notEquals, "aws:SourceArn", ROLE)).isTrue();
        assertThat(holds(notEquals, "aws:SourceArn", "arn:aws:iam::123456789012:role/admin")).isFalse();
        assertThat(holds(notEquals)).isTrue();
        String notLike = "{'ArnNotLike':{'aws:SourceArn':'arn:aws:iam::*:role/*'}}";
        assertThat(holds(notLike, "aws:SourceArn", ROLE)).isFalse();
        assertThat(holds(notLike, "aws:SourceArn", "arn:aws:iam::123456789012:user/bob")).isTrue();
        assertThat(holds(notLike)).isTrue();
        assertThat(holds("{'ArnNotLikeIfExists':{'aws:SourceArn':'arn:aws:iam::*:role/*'}}")).isTrue();
    }

    // null and combinations

    @Test
    void nullTrueWantsTheKeyAbsentAndFalseWantsItPresent() {
        assertThat(holds("{'Null':{'aws:ResourceTag/env':'true'}}")).isTrue();
        assertThat(holds("{'Null':{'aws:ResourceTag/env':'true'}}", "aws:ResourceTag/env", "prod")).isFalse();
        assertThat(holds("{'Null':{'aws:ResourceTag/env':'false'}}", "aws:ResourceTag/env", "prod")).isTrue();
        assertThat(holds("{'Null':{'aws:ResourceTag/env':'false'}}")).isFalse();
        assertThat(holds("{'Null':{'aws:TagKeys':'true'}}", "aws:TagKeys", List.of())).isTrue();
    }

    @Test
    void severalValuesOfOneKeyAreAlternatives() {
        String condition = "{'StringEquals':{'ecs:cluster':['a','b']}}";
        assertThat(holds(condition, "ecs:cluster", "a")).isTrue();
        assertThat(holds(condition, "ecs:cluster", "b")).isTrue();
        assertThat(holds(condition, "ecs:cluster", "c")).isFalse();
    }

    @Test
    void severalKeysAndSeveralOperatorsMustAllHold() {
        String condition = "{'StringEquals':{'ecs:cluster':'a','aws:ResourceTag/env':'prod'},"
                + "'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}}";
        assertThat(holds(condition, "ecs:cluster", "a", "aws:ResourceTag/env", "prod", "aws:SourceIp", "10.1.2.3"))
                .isTrue();
        assertThat(holds(condition, "ecs:cluster", "a", "aws:ResourceTag/env", "dev", "aws:SourceIp", "10.1.2.3"))
                .isFalse();
        assertThat(holds(condition, "ecs:cluster", "a", "aws:ResourceTag/env", "prod", "aws:SourceIp", "11.1.2.3"))
                .isFalse();
        assertThat(holds(condition, "ecs:cluster", "a", "aws:ResourceTag/env", "prod")).isFalse();
    }
}
