package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.iam.model.PolicyScopeType;
import software.amazon.awssdk.services.iam.model.Role;

/** IAM roles, inline and managed policies and instance profiles through the real SDK {@code IamClient}. */
class IamRoleApiTest extends ApiTest {

    static final String EC2_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String ECS_READ = IamUserApiTest.ECS_READ;
    private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final AtomicInteger names = new AtomicInteger();
    static IamClient iam;

    @BeforeAll
    static void iamClient() {
        iam = berth.iam();
    }

    @AfterAll
    static void closeIam() {
        iam.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + names.incrementAndGet();
    }

    private static String decoded(String document) {
        return URLDecoder.decode(document, StandardCharsets.UTF_8);
    }

    @Test
    void aCreatedRoleCarriesItsTrustPolicyUrlEncodedAsIamAnswersIt() {
        String name = unique("ecsInstanceRole");

        Role created = iam.createRole(r -> r.roleName(name).path("/hosts/").assumeRolePolicyDocument(EC2_TRUST)
                .description("container hosts").maxSessionDuration(7200)).role();
        Role read = iam.getRole(r -> r.roleName(name)).role();

        assertThat(created.roleId()).matches("AROA[A-Z2-7]{17}");
        assertThat(created.arn()).isEqualTo("arn:aws:iam::" + berth.accountId() + ":role/hosts/" + name);
        assertThat(decoded(read.assumeRolePolicyDocument())).isEqualTo(EC2_TRUST);
        assertThat(read.maxSessionDuration()).isEqualTo(7200);
        assertThat(read.description()).isEqualTo("container hosts");
        assertThat(iam.listRolesPaginator(r -> r.pathPrefix("/hosts/")).roles()).extracting(Role::roleName).contains(name);
    }

    @Test
    void roleErrorsAreIams() {
        String name = unique("dup");
        iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(EC2_TRUST));

        assertThatThrownBy(() -> iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(EC2_TRUST)))
                .isInstanceOfSatisfying(EntityAlreadyExistsException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("Role with name " + name + " already exists."));
        assertThatThrownBy(() -> iam.getRole(r -> r.roleName("no-such-role")))
                .isInstanceOfSatisfying(NoSuchEntityException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("The role with name no-such-role cannot be found."));
        assertThatThrownBy(() -> iam.createRole(r -> r.roleName(unique("bad")).assumeRolePolicyDocument("{not json")))
                .isInstanceOfSatisfying(MalformedPolicyDocumentException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedPolicyDocument");
                });
        assertThatThrownBy(() -> iam.createRole(r -> r.roleName(unique("noprincipal")).assumeRolePolicyDocument(ECS_READ)))
                .isInstanceOf(MalformedPolicyDocumentException.class);
        assertThatThrownBy(() -> iam.createRole(r -> r.roleName(unique("long")).assumeRolePolicyDocument(EC2_TRUST)
                .maxSessionDuration(60))).isInstanceOfSatisfying(IamException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    }

    @Test
    void updateAssumeRolePolicyReplacesTheTrustPolicy() {
        String name = unique("retrusted");
        iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(EC2_TRUST));
        String tasksTrust = EC2_TRUST.replace("ec2.amazonaws.com", "ecs-tasks.amazonaws.com");

        iam.updateAssumeRolePolicy(r -> r.roleName(name).policyDocument(tasksTrust));

        assertThat(decoded(iam.getRole(r -> r.roleName(name)).role().assumeRolePolicyDocument())).isEqualTo(tasksTrust);
    }

    @Test
    void inlineRolePoliciesArePutReadListedAndDeleted() {
        String name = unique("inline");
        iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(EC2_TRUST));

        iam.putRolePolicy(r -> r.roleName(name).policyName("read").policyDocument(ECS_READ));

        var read = iam.getRolePolicy(r -> r.roleName(name).policyName("read"));
        assertThat(read.roleName()).isEqualTo(name);
        assertThat(decoded(read.policyDocument())).isEqualTo(ECS_READ);
        assertThat(iam.listRolePolicies(r -> r.roleName(name)).policyNames()).containsExactly("read");
        assertThatThrownBy(() -> iam.deleteRole(r -> r.roleName(name)))
                .isInstanceOfSatisfying(DeleteConflictException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("Cannot delete entity, must delete policies first."));
        iam.deleteRolePolicy(r -> r.roleName(name).policyName("read"));
        assertThatThrownBy(() -> iam.getRolePolicy(r -> r.roleName(name).policyName("read")))
                .isInstanceOfSatisfying(NoSuchEntityException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("The role policy with name read cannot be found."));
        iam.deleteRole(r -> r.roleName(name));
        assertThatThrownBy(() -> iam.getRole(r -> r.roleName(name))).isInstanceOf(NoSuchEntityException.class);
    }

    @Test
    void anIdentityPolicyWithAPrincipalIsMalformed() {
        String name = unique("principal");
        iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(EC2_TRUST));

        assertThatThrownBy(() -> iam.putRolePolicy(r -> r.roleName(name).policyName("p").policyDocument(EC2_TRUST)))
                .isInstanceOfSatisfying(MalformedPolicyDocumentException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("Policy document should not specify a principal."));
    }

    @Test
    void managedPoliciesAreCreatedVersionedAttachedAndDeletedOnlyWhenFree() {
        String policyName = unique("ecs-read");
        String role = unique("attached");
        iam.createRole(r -> r.roleName(role).assumeRolePolicyDocument(EC2_TRUST));

        Policy policy = iam.createPolicy(r -> r.policyName(policyName).path("/team/").policyDocument(ECS_READ)
                .description("read ECS")).policy();
        assertThat(policy.arn()).isEqualTo("arn:aws:iam::" + berth.accountId() + ":policy/team/" + policyName);
        assertThat(policy.policyId()).matches("ANPA[A-Z2-7]{17}");
        assertThat(policy.defaultVersionId()).isEqualTo("v1");

        iam.attachRolePolicy(r -> r.roleName(role).policyArn(policy.arn()));
        iam.attachRolePolicy(r -> r.roleName(role).policyArn(ADMIN));
        assertThat(iam.listAttachedRolePolicies(r -> r.roleName(role)).attachedPolicies())
                .extracting(AttachedPolicy::policyName).containsExactlyInAnyOrder(policyName, "AdministratorAccess");
        assertThat(iam.getPolicy(r -> r.policyArn(policy.arn())).policy().attachmentCount()).isEqualTo(1);

        String v2 = iam.createPolicyVersion(r -> r.policyArn(policy.arn()).policyDocument(ECS_READ.replace("List*", "Get*"))
                .setAsDefault(true)).policyVersion().versionId();
        assertThat(v2).isEqualTo("v2");
        var version = iam.getPolicyVersion(r -> r.policyArn(policy.arn()).versionId("v2")).policyVersion();
        assertThat(version.isDefaultVersion()).isTrue();
        assertThat(decoded(version.document())).contains("ecs:Get*");

        assertThatThrownBy(() -> iam.deletePolicy(r -> r.policyArn(policy.arn())))
                .isInstanceOfSatisfying(DeleteConflictException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("Cannot delete a policy attached to entities."));
        assertThatThrownBy(() -> iam.deleteRole(r -> r.roleName(role)))
                .isInstanceOfSatisfying(DeleteConflictException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("Cannot delete entity, must detach all policies first."));
        iam.detachRolePolicy(r -> r.roleName(role).policyArn(policy.arn()));
        assertThatThrownBy(() -> iam.detachRolePolicy(r -> r.roleName(role).policyArn(policy.arn())))
                .isInstanceOf(NoSuchEntityException.class);
        iam.deletePolicyVersion(r -> r.policyArn(policy.arn()).versionId("v1"));
        iam.deletePolicy(r -> r.policyArn(policy.arn()));
        assertThatThrownBy(() -> iam.getPolicy(r -> r.policyArn(policy.arn())))
                .isInstanceOfSatisfying(NoSuchEntityException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("Policy " + policy.arn() + " does not exist or is not attachable."));
    }

    @Test
    void attachingAnUnknownPolicyIsNoSuchEntity() {
        String role = unique("unattached");
        iam.createRole(r -> r.roleName(role).assumeRolePolicyDocument(EC2_TRUST));
        String missing = "arn:aws:iam::" + berth.accountId() + ":policy/missing";

        assertThatThrownBy(() -> iam.attachRolePolicy(r -> r.roleName(role).policyArn(missing)))
                .isInstanceOf(NoSuchEntityException.class);
        assertThatThrownBy(() -> iam.attachRolePolicy(r -> r.roleName(role).policyArn("not-an-arn")))
                .isInstanceOfSatisfying(IamException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidInput"));
    }

    @Test
    void theAwsManagedPoliciesCanBeReadAndListed() {
        String containerInstance = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role";

        Policy policy = iam.getPolicy(r -> r.policyArn(containerInstance)).policy();
        String document = decoded(iam.getPolicyVersion(r -> r.policyArn(containerInstance).versionId("v1"))
                .policyVersion().document());

        assertThat(policy.path()).isEqualTo("/service-role/");
        assertThat(document).contains("ecs:RegisterContainerInstance", "ecs:Submit*", "ecs:Poll");
        assertThat(iam.listPoliciesPaginator(r -> r.scope(PolicyScopeType.AWS)).policies())
                .extracting(Policy::policyName)
                .contains("AdministratorAccess", "AmazonEC2ContainerServiceforEC2Role", "AmazonECS_FullAccess");
        assertThat(iam.listPolicies(r -> r.scope(PolicyScopeType.LOCAL)).policies())
                .extracting(Policy::arn).noneMatch(arn -> arn.contains(":aws:policy/"));
    }

    @Test
    void instanceProfilesHoldOneRole() {
        String profile = unique("ecsInstanceProfile");
        String role = unique("profiled");
        String other = unique("second");
        iam.createRole(r -> r.roleName(role).assumeRolePolicyDocument(EC2_TRUST));
        iam.createRole(r -> r.roleName(other).assumeRolePolicyDocument(EC2_TRUST));

        InstanceProfile created = iam.createInstanceProfile(r -> r.instanceProfileName(profile)).instanceProfile();
        iam.addRoleToInstanceProfile(r -> r.instanceProfileName(profile).roleName(role));

        assertThat(created.instanceProfileId()).matches("AIPA[A-Z2-7]{17}");
        assertThat(created.arn()).isEqualTo("arn:aws:iam::" + berth.accountId() + ":instance-profile/" + profile);
        assertThat(created.roles()).isEmpty();
        InstanceProfile read = iam.getInstanceProfile(r -> r.instanceProfileName(profile)).instanceProfile();
        assertThat(read.roles()).extracting(Role::roleName).containsExactly(role);
        assertThat(iam.listInstanceProfilesForRole(r -> r.roleName(role)).instanceProfiles())
                .extracting(InstanceProfile::instanceProfileName).containsExactly(profile);
        assertThat(iam.listInstanceProfilesPaginator().instanceProfiles())
                .extracting(InstanceProfile::instanceProfileName).contains(profile);
        assertThatThrownBy(() -> iam.addRoleToInstanceProfile(r -> r.instanceProfileName(profile).roleName(other)))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"));
        assertThatThrownBy(() -> iam.deleteRole(r -> r.roleName(role)))
                .isInstanceOfSatisfying(DeleteConflictException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("Cannot delete entity, must remove roles from instance profile first."));
        assertThatThrownBy(() -> iam.deleteInstanceProfile(r -> r.instanceProfileName(profile)))
                .isInstanceOf(DeleteConflictException.class);

        iam.removeRoleFromInstanceProfile(r -> r.instanceProfileName(profile).roleName(role));
        iam.deleteInstanceProfile(r -> r.instanceProfileName(profile));
        iam.deleteRole(r -> r.roleName(role));

        assertThatThrownBy(() -> iam.getInstanceProfile(r -> r.instanceProfileName(profile)))
                .isInstanceOfSatisfying(NoSuchEntityException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).isEqualTo("Instance Profile " + profile + " cannot be found."));
        assertThatThrownBy(() -> iam.createInstanceProfile(r -> r.instanceProfileName(other).path("no-slash")))
                .isInstanceOfSatisfying(IamException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("ValidationError"));
    }
}
