package io.berth.control.iam.policy;

import static io.berth.control.iam.policy.Policies.document;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.iam.policy.PolicyDocument.Kind;
import org.junit.jupiter.api.Test;

/** What IAM accepts as a policy document and what it refuses, with its messages. */
class PolicyDocumentTest {

    private static final String ALLOW = "{'Effect':'Allow','Action':'ecs:*','Resource':'*'}";

    private static void refused(String json, Kind kind, String message) {
        assertThatThrownBy(() -> PolicyDocument.parse(json.replace('\'', '"'), kind))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessage(message);
    }

    private static void refused(String json, String message) {
        refused(json, Kind.IDENTITY, message);
    }

    @Test
    void acceptsBothVersionsAndNoVersion() {
        assertThat(PolicyDocument.parse(document(ALLOW)).version()).contains("2012-10-17");
        assertThat(PolicyDocument.parse("{'Version':'2008-10-17','Statement':[ALLOW]}".replace("ALLOW", ALLOW)
                .replace('\'', '"')).version()).contains("2008-10-17");
        assertThat(PolicyDocument.parse("{'Statement':ALLOW}".replace("ALLOW", ALLOW).replace('\'', '"')).version())
                .isEmpty();
        refused("{'Version':'2012-10-18','Statement':[" + ALLOW + "]}", MalformedPolicyException.LEGACY_PARSING);
    }

    @Test
    void keepsTheDocumentAsGiven() {
        String json = document(ALLOW, ALLOW.replace("ecs:*", "ecs:List*"));
        PolicyDocument policy = PolicyDocument.parse(json);
        assertThat(policy.json()).isEqualTo(json);
        assertThat(policy.statementCount()).isEqualTo(2);
        assertThat(policy.kind()).isEqualTo(Kind.IDENTITY);
    }

    @Test
    void acceptsStringsOrArraysAndConditionValuesOfAnyScalarType() {
        assertThatCode(() -> PolicyDocument.parse(document("{'Sid':'All1','Effect':'Deny','NotAction':['ecs:*','iam:*'],"
                + "'NotResource':['arn:aws:ecs:*:*:cluster/a'],'Condition':{'NumericLessThan':{'ecs:n':5},"
                + "'Bool':{'aws:SecureTransport':true},'StringEquals':{'ecs:cluster':['a','b']}}}")))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesBrokenJsonAndUnknownOrDuplicateElements() {
        refused("{'Version':'2012-10-17','Statement':[", MalformedPolicyException.INVALID_JSON);
        refused("", MalformedPolicyException.INVALID_JSON);
        refused("[]", MalformedPolicyException.SYNTAX_ERRORS);
        refused("{'Version':'2012-10-17'}", MalformedPolicyException.SYNTAX_ERRORS);
        refused("{'Version':'2012-10-17','Statement':[" + ALLOW + "],'Extra':1}", MalformedPolicyException.SYNTAX_ERRORS);
        refused(document("{'Effect':'Allow','Action':'ecs:*','Resource':'*','Actions':'x'}"),
                MalformedPolicyException.SYNTAX_ERRORS);
        refused("{'Version':'2012-10-17','Version':'2012-10-17','Statement':[" + ALLOW + "]}",
                MalformedPolicyException.INVALID_JSON);
        refused(document(ALLOW) + "{}", MalformedPolicyException.INVALID_JSON);
        refused(document("'just text'"), MalformedPolicyException.SYNTAX_ERRORS);
    }

    @Test
    void refusesAnUnknownOrMissingEffect() {
        refused(document("{'Effect':'Permit','Action':'ecs:*','Resource':'*'}"), MalformedPolicyException.SYNTAX_ERRORS);
        refused(document("{'Effect':'allow','Action':'ecs:*','Resource':'*'}"), MalformedPolicyException.SYNTAX_ERRORS);
        refused(document("{'Action':'ecs:*','Resource':'*'}"), MalformedPolicyException.SYNTAX_ERRORS);
    }

    @Test
    void refusesStatementsWithoutActionsOrWithBoth() {
        refused(document("{'Effect':'Allow','Resource':'*'}"), MalformedPolicyException.ACTIONS_MISSING);
        refused(document("{'Effect':'Allow','Action':[],'Resource':'*'}"), MalformedPolicyException.ACTIONS_MISSING);
        refused(document("{'Effect':'Allow','Action':'ecs:*','NotAction':'iam:*','Resource':'*'}"),
                MalformedPolicyException.SYNTAX_ERRORS);
        refused(document("{'Effect':'Allow','Action':'RunTask','Resource':'*'}"), MalformedPolicyException.VENDOR_MISSING);
        refused(document("{'Effect':'Allow','Action':'ecs:Run:Task','Resource':'*'}"), MalformedPolicyException.ONE_COLON);
        refused(document("{'Effect':'Allow','Action':{'ecs':'RunTask'},'Resource':'*'}"),
                MalformedPolicyException.SYNTAX_ERRORS);
    }

    @Test
    void refusesIdentityStatementsWithoutResourcesOrWithBadOnes() {
        refused(document("{'Effect':'Allow','Action':'ecs:*'}"), MalformedPolicyException.RESOURCES_MISSING);
        refused(document("{'Effect':'Allow','Action':'ecs:*','Resource':'*','NotResource':'*'}"),
                MalformedPolicyException.SYNTAX_ERRORS);
        refused(document("{'Effect':'Allow','Action':'ecs:*','Resource':'my-cluster'}"),
                "Resource my-cluster must be in ARN format or \"*\".");
    }

    @Test
    void refusesAPrincipalInAnIdentityPolicy() {
        refused(document("{'Effect':'Allow','Principal':'*','Action':'ecs:*','Resource':'*'}"),
                MalformedPolicyException.PRINCIPAL_NOT_ALLOWED);
        refused(document("{'Effect':'Allow','NotPrincipal':{'AWS':'123456789012'},'Action':'ecs:*','Resource':'*'}"),
                MalformedPolicyException.PRINCIPAL_NOT_ALLOWED);
    }

    @Test
    void trustPoliciesNeedAPrincipalAndNoResource() {
        assertThatCode(() -> PolicyDocument.parse(document(
                "{'Effect':'Allow','Principal':{'Service':'ecs-tasks.amazonaws.com'},'Action':'sts:AssumeRole'}"),
                Kind.TRUST)).doesNotThrowAnyException();
        refused(document("{'Effect':'Allow','Action':'sts:AssumeRole'}"), Kind.TRUST,
                MalformedPolicyException.PRINCIPAL_MISSING);
        refused(document("{'Effect':'Allow','Principal':'*','Action':'sts:AssumeRole','Resource':'*'}"), Kind.TRUST,
                MalformedPolicyException.RESOURCE_PROHIBITED);
        refused(document("{'Effect':'Allow','Principal':'*','Action':['sts:AssumeRole','ecs:RunTask']}"), Kind.TRUST,
                MalformedPolicyException.TRUST_ACTIONS);
    }

    @Test
    void resourcePoliciesNeedAPrincipalAndMayNameResources() {
        assertThatCode(() -> PolicyDocument.parse(document(
                "{'Effect':'Allow','Principal':{'AWS':'123456789012'},'Action':'ecs:*','Resource':'*'}"),
                Kind.RESOURCE)).doesNotThrowAnyException();
        refused(document(ALLOW), Kind.RESOURCE, MalformedPolicyException.PRINCIPAL_MISSING);
    }

    @Test
    void refusesInvalidPrincipals() {
        refused(document("{'Effect':'Allow','Principal':{'AWS':'alice'},'Action':'sts:AssumeRole'}"), Kind.TRUST,
                "Invalid principal in policy: \"AWS\":\"alice\"");
        refused(document("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::123456789012:user/*'},"
                + "'Action':'sts:AssumeRole'}"), Kind.TRUST,
                "Invalid principal in policy: \"AWS\":\"arn:aws:iam::123456789012:user/*\"");
        refused(document("{'Effect':'Allow','Principal':{'Robot':'r2d2'},'Action':'sts:AssumeRole'}"), Kind.TRUST,
                "Invalid principal in policy: \"Robot\":\"r2d2\"");
        refused(document("{'Effect':'Allow','Principal':'everyone','Action':'sts:AssumeRole'}"), Kind.TRUST,
                MalformedPolicyException.SYNTAX_ERRORS);
    }

    @Test
    void refusesUnknownConditionOperatorsAndKeysWithoutVendor() {
        refused(document("{'Effect':'Allow','Action':'ecs:*','Resource':'*','Condition':{'StringEqualz':{'ecs:cluster':'a'}}}"),
                MalformedPolicyException.SYNTAX_ERRORS);
        refused(document("{'Effect':'Allow','Action':'ecs:*','Resource':'*','Condition':{'NullIfExists':{'ecs:cluster':'true'}}}"),
                MalformedPolicyException.SYNTAX_ERRORS);
        refused(document("{'Effect':'Allow','Action':'ecs:*','Resource':'*','Condition':{'ForSomeValues:StringEquals':{'ecs:cluster':'a'}}}"),
                MalformedPolicyException.SYNTAX_ERRORS);
        refused(document("{'Effect':'Allow','Action':'ecs:*','Resource':'*','Condition':{'StringEquals':{'cluster':'a'}}}"),
                MalformedPolicyException.VENDOR_MISSING);
        refused(document("{'Effect':'Allow','Action':'ecs:*','Resource':'*','Condition':{'StringEquals':{'ecs:cluster':{'a':1}}}}"),
                MalformedPolicyException.SYNTAX_ERRORS);
        refused(document("{'Effect':'Allow','Action':'ecs:*','Resource':'*','Condition':['StringEquals']}"),
                MalformedPolicyException.SYNTAX_ERRORS);
        refused(document("{'Effect':'Allow','Action':'ecs:*','Resource':'*','Condition':{'ecs:cluster':'a'}}"),
                MalformedPolicyException.SYNTAX_ERRORS);
    }

    @Test
    void statementIdsMustBeUniqueAndAlphanumeric() {
        refused(document("{'Sid':'One','Effect':'Allow','Action':'ecs:*','Resource':'*'}",
                "{'Sid':'One','Effect':'Deny','Action':'iam:*','Resource':'*'}"), MalformedPolicyException.SID_NOT_UNIQUE);
        refused(document("{'Sid':'not allowed!','Effect':'Allow','Action':'ecs:*','Resource':'*'}"),
                MalformedPolicyException.SID_NOT_ALPHANUMERIC);
    }

    @Test
    void sizeCountsCharactersThatAreNotWhitespace() {
        assertThat(PolicyDocument.size("{ \"a\" :\n\t\"b c\" }")).isEqualTo(10);
        String big = document(ALLOW.replace("'ecs:*'", "['ecs:" + "A".repeat(2_100) + "']"));
        assertThat(PolicyDocument.fitsWithin(big, PolicyDocument.USER_INLINE_SIZE_LIMIT)).isFalse();
        assertThat(PolicyDocument.fitsWithin(big, PolicyDocument.MANAGED_SIZE_LIMIT)).isTrue();
        assertThat(PolicyDocument.fitsWithin(document(ALLOW), PolicyDocument.USER_INLINE_SIZE_LIMIT)).isTrue();
        assertThat(PolicyDocument.ROLE_INLINE_SIZE_LIMIT).isEqualTo(10_240);
    }
}
