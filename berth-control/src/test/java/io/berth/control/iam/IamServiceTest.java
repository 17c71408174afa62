package io.berth.control.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.control.Caller;
import io.berth.control.Scope;
import io.berth.control.crypto.Sealer;
import io.berth.control.store.MemoryStore;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.*;

/** The IAM actions called directly, each with its error paths. */
class IamServiceTest {

    static final String ACCOUNT = "123456789012";
    static final Caller ROOT = new Caller(new Scope("aws", ACCOUNT, "us-east-1"), "arn:aws:iam::" + ACCOUNT + ":root");
    static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String READ = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"ecs:Describe*\",\"Resource\":\"*\"}]}";
    static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

    final MemoryStore store = new MemoryStore();
    final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    final AccessKeys keys = new AccessKeys(store, Sealer.withKey(new byte[32]), clock);
    final Directories directories = new Directories(store, clock);
    final IamService iam = new IamService(directories, keys, Authorizer.allowAll(), clock);
    final Iam facade = new Iam(store, keys, clock);

    static void assertIamError(ThrowingCallable call, String code, int status, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.httpStatus()).isEqualTo(status);
            if (message != null) {
                assertThat(e.getMessage()).isEqualTo(message);
            }
        });
    }

    void user(String name) {
        iam.createUser(ROOT, CreateUserRequest.builder().userName(name).build());
    }

    void role(String name) {
        iam.createRole(ROOT, CreateRoleRequest.builder().roleName(name).assumeRolePolicyDocument(TRUST).build());
    }

    String policy(String name) {
        return iam.createPolicy(ROOT, CreatePolicyRequest.builder().policyName(name).policyDocument(READ).build())
                .policy().arn();
    }

    void profile(String name) {
        iam.createInstanceProfile(ROOT, CreateInstanceProfileRequest.builder().instanceProfileName(name).build());
    }

    @Nested
    class Users {

        @Test
        void createUserRefusesDuplicatesInAnyCaseBadNamesPathsAndTags() {
            user("alice");
            assertIamError(() -> user("ALICE"), "EntityAlreadyExists", 409, "User with name ALICE already exists.");
            assertIamError(() -> user("a b"), "ValidationError", 400, "1 validation error detected: Value 'a b' at "
                    + "'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
            assertIamError(() -> user("x".repeat(65)), "ValidationError", 400, null);
            assertIamError(() -> iam.createUser(ROOT, CreateUserRequest.builder().build()), "ValidationError", 400,
                    "1 validation error detected: Value null at 'userName' failed to satisfy constraint: "
                            + "Member must not be null");
            assertIamError(() -> iam.createUser(ROOT, CreateUserRequest.builder().userName("b").path("nopath").build()),
                    "ValidationError", 400, null);
            assertIamError(() -> iam.createUser(ROOT, CreateUserRequest.builder().userName("c").tags(
                    Tag.builder().key("k").value("1").build(), Tag.builder().key("K").value("2").build()).build()),
                    "InvalidInput", 400, "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
        }

        @Test
        void getUserOfAnUnknownNameIsNoSuchEntityAndNeedsANameForNonUsers() {
            assertIamError(() -> iam.getUser(ROOT, GetUserRequest.builder().userName("ghost").build()), "NoSuchEntity",
                    404, "The user with name ghost cannot be found.");
            Caller session = new Caller(ROOT.scope(), "arn:aws:sts::" + ACCOUNT + ":assumed-role/app/s");
            assertIamError(() -> iam.getUser(session, GetUserRequest.builder().build()), "ValidationError", 400,
                    "Must specify userName when calling with non-User credentials");
        }

        @Test
        void listUsersRefusesPagesOutsideOneToAThousand() {
            assertIamError(() -> iam.listUsers(ROOT, ListUsersRequest.builder().maxItems(0).build()), "ValidationError",
                    400, null);
            assertIamError(() -> iam.listUsers(ROOT, ListUsersRequest.builder().maxItems(1001).build()),
                    "ValidationError", 400, null);
        }

        @Test
        void deleteUserOfAnUnknownNameIsNoSuchEntity() {
            assertIamError(() -> iam.deleteUser(ROOT, DeleteUserRequest.builder().userName("ghost").build()),
                    "NoSuchEntity", 404, "The user with name ghost cannot be found.");
        }

        @Test
        void tagsOfUnknownUsersAreNoSuchEntityAndTagsMerge() {
            assertIamError(() -> iam.tagUser(ROOT, TagUserRequest.builder().userName("ghost")
                    .tags(Tag.builder().key("k").value("v").build()).build()), "NoSuchEntity", 404, null);
            assertIamError(() -> iam.untagUser(ROOT, UntagUserRequest.builder().userName("ghost").tagKeys("k").build()),
                    "NoSuchEntity", 404, null);
            assertIamError(() -> iam.listUserTags(ROOT, ListUserTagsRequest.builder().userName("ghost").build()),
                    "NoSuchEntity", 404, null);
            user("tagged");
            iam.tagUser(ROOT, TagUserRequest.builder().userName("tagged").tags(Tag.builder().key("a").value("1").build(),
                    Tag.builder().key("b").value("2").build()).build());
            iam.tagUser(ROOT, TagUserRequest.builder().userName("tagged").tags(Tag.builder().key("A").value("3").build())
                    .build());
            iam.untagUser(ROOT, UntagUserRequest.builder().userName("tagged").tagKeys("b").build());
            assertThat(iam.listUserTags(ROOT, ListUserTagsRequest.builder().userName("tagged").build()).tags())
                    .containsExactly(Tag.builder().key("A").value("3").build());
        }
    }

    @Nested
    class Durability {

        @Test
        void concurrentChangesOfOneAccountAreAllKept() throws Exception {
            try (var threads = java.util.concurrent.Executors.newFixedThreadPool(8)) {
                List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    String name = "parallel-" + i;
                    done.add(threads.submit(() -> user(name)));
                }
                for (var future : done) {
                    future.get();
                }
            }

            assertThat(iam.listUsers(ROOT, ListUsersRequest.builder().maxItems(1000).build()).users()).hasSize(40);
        }

        @Test
        void anotherInstanceOnTheSameStoreSeesEveryChangeAtOnce() {
            IamService elsewhere = new IamService(new Directories(store, clock), keys, Authorizer.allowAll(), clock);

            role("shared");
            elsewhere.putRolePolicy(ROOT, PutRolePolicyRequest.builder().roleName("shared").policyName("p")
                    .policyDocument(READ).build());

            assertThat(iam.listRolePolicies(ROOT, ListRolePoliciesRequest.builder().roleName("shared").build())
                    .policyNames()).containsExactly("p");
        }
    }

    @Nested
    class AccessKeysOfUsers {

        @Test
        void createAccessKeyNeedsTheUserAndStopsAtTwo() {
            assertIamError(() -> iam.createAccessKey(ROOT, CreateAccessKeyRequest.builder().userName("ghost").build()),
                    "NoSuchEntity", 404, "The user with name ghost cannot be found.");
            user("holder");
            iam.createAccessKey(ROOT, CreateAccessKeyRequest.builder().userName("holder").build());
            iam.createAccessKey(ROOT, CreateAccessKeyRequest.builder().userName("holder").build());
            assertIamError(() -> iam.createAccessKey(ROOT, CreateAccessKeyRequest.builder().userName("holder").build()),
                    "LimitExceeded", 409, "Cannot exceed quota for AccessKeysPerUser: 2");
        }

        @Test
        void aUsersKeyActsAsTheUser() {
            user("signer");
            String keyId = iam.createAccessKey(ROOT, CreateAccessKeyRequest.builder().userName("signer").build())
                    .accessKey().accessKeyId();

            assertThat(keys.find(keyId)).hasValueSatisfying(k -> {
                assertThat(k.principalArn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/signer");
                assertThat(k.accountId()).isEqualTo(ACCOUNT);
            });
        }

        @Test
        void madeUpKeyIdsFindNothingAndDoNotCrowdOutRealOnes() {
            user("real");
            String keyId = iam.createAccessKey(ROOT, CreateAccessKeyRequest.builder().userName("real").build())
                    .accessKey().accessKeyId();

            assertThat(keys.find("AKIA/../x")).isEmpty();
            assertThat(keys.find("short")).isEmpty();
            for (int i = 0; i < 20_000; i++) {
                assertThat(keys.find("AKIAMADEUP%016d".formatted(i))).isEmpty();
            }
            assertThat(keys.find(keyId)).isPresent();
        }

        @Test
        void listAccessKeysOfAnUnknownUserIsNoSuchEntity() {
            assertIamError(() -> iam.listAccessKeys(ROOT, ListAccessKeysRequest.builder().userName("ghost").build()),
                    "NoSuchEntity", 404, null);
        }

        @Test
        void updateAccessKeyNeedsAKnownKeyOfTheUserAndAKnownStatus() {
            user("updater");
            String keyId = iam.createAccessKey(ROOT, CreateAccessKeyRequest.builder().userName("updater").build())
                    .accessKey().accessKeyId();
            assertIamError(() -> iam.updateAccessKey(ROOT, UpdateAccessKeyRequest.builder().userName("updater")
                    .accessKeyId(keyId).status("Sleeping").build()), "ValidationError", 400, null);
            assertIamError(() -> iam.updateAccessKey(ROOT, UpdateAccessKeyRequest.builder().userName("updater")
                    .accessKeyId("AKIANOSUCHKEY0000000").status(StatusType.INACTIVE).build()), "NoSuchEntity", 404,
                    "The Access Key with id AKIANOSUCHKEY0000000 cannot be found.");
            assertIamError(() -> iam.updateAccessKey(ROOT, UpdateAccessKeyRequest.builder().userName("updater")
                    .status(StatusType.INACTIVE).build()), "ValidationError", 400, null);

            iam.updateAccessKey(ROOT, UpdateAccessKeyRequest.builder().userName("updater").accessKeyId(keyId)
                    .status(StatusType.INACTIVE).build());
            assertThat(keys.find(keyId)).isEmpty();
        }

        @Test
        void deleteAccessKeyOfAnotherUserIsNoSuchEntity() {
            user("one");
            user("two");
            String keyId = iam.createAccessKey(ROOT, CreateAccessKeyRequest.builder().userName("one").build())
                    .accessKey().accessKeyId();
            assertIamError(() -> iam.deleteAccessKey(ROOT, DeleteAccessKeyRequest.builder().userName("two")
                    .accessKeyId(keyId).build()), "NoSuchEntity", 404, null);
            assertThat(keys.find(keyId)).isPresent();
        }
    }

    @Nested
    class InlineAndAttachedPolicies {

        @Test
        void userPoliciesNeedTheUserAValidDocumentAndAnExistingName() {
            assertIamError(() -> iam.putUserPolicy(ROOT, PutUserPolicyRequest.builder().userName("ghost")
                    .policyName("p").policyDocument(READ).build()), "NoSuchEntity", 404, null);
            user("u");
            assertIamError(() -> iam.putUserPolicy(ROOT, PutUserPolicyRequest.builder().userName("u")
                    .policyName("p").policyDocument("[1,2]").build()), "MalformedPolicyDocument", 400,
                    "Syntax errors in policy.");
            assertIamError(() -> iam.putUserPolicy(ROOT, PutUserPolicyRequest.builder().userName("u")
                    .policyName("p").policyDocument(TRUST).build()), "MalformedPolicyDocument", 400,
                    "Policy document should not specify a principal.");
            assertIamError(() -> iam.getUserPolicy(ROOT, GetUserPolicyRequest.builder().userName("u")
                    .policyName("p").build()), "NoSuchEntity", 404, "The user policy with name p cannot be found.");
            assertIamError(() -> iam.deleteUserPolicy(ROOT, DeleteUserPolicyRequest.builder().userName("u")
                    .policyName("p").build()), "NoSuchEntity", 404, "The user policy with name p cannot be found.");
            assertIamError(() -> iam.listUserPolicies(ROOT, ListUserPoliciesRequest.builder().userName("ghost").build()),
                    "NoSuchEntity", 404, null);
        }

        @Test
        void aSecondPutUnderTheSameNameReplacesTheDocument() {
            user("u");
            iam.putUserPolicy(ROOT, PutUserPolicyRequest.builder().userName("u").policyName("p").policyDocument(READ).build());
            String other = READ.replace("Describe*", "List*");
            iam.putUserPolicy(ROOT, PutUserPolicyRequest.builder().userName("u").policyName("P").policyDocument(other).build());

            assertThat(iam.listUserPolicies(ROOT, ListUserPoliciesRequest.builder().userName("u").build()).policyNames())
                    .containsExactly("p");
            assertThat(iam.getUserPolicy(ROOT, GetUserPolicyRequest.builder().userName("u").policyName("p").build())
                    .policyDocument()).isEqualTo(other);
        }

        @Test
        void attachingNeedsAnExistingPolicyAValidArnAndRoomForIt() {
            user("u");
            assertIamError(() -> iam.attachUserPolicy(ROOT, AttachUserPolicyRequest.builder().userName("u")
                    .policyArn("arn:aws:iam::" + ACCOUNT + ":policy/ghost").build()), "NoSuchEntity", 404,
                    "Policy arn:aws:iam::" + ACCOUNT + ":policy/ghost does not exist or is not attachable.");
            assertIamError(() -> iam.attachUserPolicy(ROOT, AttachUserPolicyRequest.builder().userName("u")
                    .policyArn("bogus").build()), "InvalidInput", 400, "ARN bogus is not valid.");
            assertIamError(() -> iam.attachUserPolicy(ROOT, AttachUserPolicyRequest.builder().userName("ghost")
                    .policyArn(ADMIN).build()), "NoSuchEntity", 404, null);
            for (int i = 0; i < IamService.MAX_ATTACHED_POLICIES; i++) {
                String arn = policy("p" + i);
                iam.attachUserPolicy(ROOT, AttachUserPolicyRequest.builder().userName("u").policyArn(arn).build());
            }
            assertIamError(() -> iam.attachUserPolicy(ROOT, AttachUserPolicyRequest.builder().userName("u")
                    .policyArn(ADMIN).build()), "LimitExceeded", 409, "Cannot exceed quota for PoliciesPerUser: 10");
            assertIamError(() -> iam.detachUserPolicy(ROOT, DetachUserPolicyRequest.builder().userName("u")
                    .policyArn(ADMIN).build()), "NoSuchEntity", 404, "Policy " + ADMIN + " was not found.");
            assertIamError(() -> iam.listAttachedUserPolicies(ROOT, ListAttachedUserPoliciesRequest.builder()
                    .userName("ghost").build()), "NoSuchEntity", 404, null);
        }

        @Test
        void rolePoliciesHaveTheSameErrors() {
            assertIamError(() -> iam.putRolePolicy(ROOT, PutRolePolicyRequest.builder().roleName("ghost")
                    .policyName("p").policyDocument(READ).build()), "NoSuchEntity", 404,
                    "The role with name ghost cannot be found.");
            role("r");
            assertIamError(() -> iam.putRolePolicy(ROOT, PutRolePolicyRequest.builder().roleName("r")
                    .policyName("p").policyDocument("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecs:*\"}]}")
                    .build()), "MalformedPolicyDocument", 400, "Policy statement must contain resources.");
            assertIamError(() -> iam.getRolePolicy(ROOT, GetRolePolicyRequest.builder().roleName("r")
                    .policyName("p").build()), "NoSuchEntity", 404, "The role policy with name p cannot be found.");
            assertIamError(() -> iam.deleteRolePolicy(ROOT, DeleteRolePolicyRequest.builder().roleName("r")
                    .policyName("p").build()), "NoSuchEntity", 404, null);
            assertIamError(() -> iam.listRolePolicies(ROOT, ListRolePoliciesRequest.builder().roleName("ghost").build()),
                    "NoSuchEntity", 404, null);
            assertIamError(() -> iam.detachRolePolicy(ROOT, DetachRolePolicyRequest.builder().roleName("r")
                    .policyArn(ADMIN).build()), "NoSuchEntity", 404, null);
            assertIamError(() -> iam.attachRolePolicy(ROOT, AttachRolePolicyRequest.builder().roleName("r")
                    .policyArn("arn:aws:iam::aws:policy/NoSuchManagedPolicy").build()), "NoSuchEntity", 404, null);
            assertIamError(() -> iam.listAttachedRolePolicies(ROOT, ListAttachedRolePoliciesRequest.builder()
                    .roleName("ghost").build()), "NoSuchEntity", 404, null);
        }
    }

    @Nested
    class Roles {

        @Test
        void createRoleValidatesItsTrustPolicyAndLimits() {
            role("r");
            assertIamError(() -> role("R"), "EntityAlreadyExists", 409, "Role with name R already exists.");
            assertIamError(() -> iam.createRole(ROOT, CreateRoleRequest.builder().roleName("x").build()),
                    "ValidationError", 400, null);
            assertIamError(() -> iam.createRole(ROOT, CreateRoleRequest.builder().roleName("x")
                    .assumeRolePolicyDocument(TRUST.replace("\"Action\"", "\"Resource\":\"*\",\"Action\"")).build()),
                    "MalformedPolicyDocument", 400, "Has prohibited field Resource");
            assertIamError(() -> iam.createRole(ROOT, CreateRoleRequest.builder().roleName("x").assumeRolePolicyDocument(
                    "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\"}]}").build()),
                    "MalformedPolicyDocument", 400, "Missing required field Principal");
            assertIamError(() -> iam.createRole(ROOT, CreateRoleRequest.builder().roleName("x")
                    .assumeRolePolicyDocument(TRUST).maxSessionDuration(43201).build()), "ValidationError", 400, null);
            assertIamError(() -> iam.createRole(ROOT, CreateRoleRequest.builder().roleName("x".repeat(65))
                    .assumeRolePolicyDocument(TRUST).build()), "ValidationError", 400, null);
            assertIamError(() -> iam.createRole(ROOT, CreateRoleRequest.builder().roleName("x")
                    .assumeRolePolicyDocument(TRUST).description("d".repeat(1001)).build()), "ValidationError", 400, null);
        }

        @Test
        void unknownRolesAreNoSuchEntity() {
            assertIamError(() -> iam.getRole(ROOT, GetRoleRequest.builder().roleName("ghost").build()), "NoSuchEntity",
                    404, "The role with name ghost cannot be found.");
            assertIamError(() -> iam.deleteRole(ROOT, DeleteRoleRequest.builder().roleName("ghost").build()),
                    "NoSuchEntity", 404, null);
            assertIamError(() -> iam.updateAssumeRolePolicy(ROOT, UpdateAssumeRolePolicyRequest.builder()
                    .roleName("ghost").policyDocument(TRUST).build()), "NoSuchEntity", 404, null);
            assertIamError(() -> iam.tagRole(ROOT, TagRoleRequest.builder().roleName("ghost")
                    .tags(Tag.builder().key("k").value("v").build()).build()), "NoSuchEntity", 404, null);
            assertIamError(() -> iam.untagRole(ROOT, UntagRoleRequest.builder().roleName("ghost").tagKeys("k").build()),
                    "NoSuchEntity", 404, null);
            assertIamError(() -> iam.listRoleTags(ROOT, ListRoleTagsRequest.builder().roleName("ghost").build()),
                    "NoSuchEntity", 404, null);
        }

        @Test
        void updateAssumeRolePolicyValidatesTheDocument() {
            role("r");
            assertIamError(() -> iam.updateAssumeRolePolicy(ROOT, UpdateAssumeRolePolicyRequest.builder()
                    .roleName("r").policyDocument(READ).build()), "MalformedPolicyDocument", 400, null);
        }

        @Test
        void deleteRoleConflictsWithItsPoliciesAndInstanceProfiles() {
            role("r");
            profile("p");
            iam.addRoleToInstanceProfile(ROOT, AddRoleToInstanceProfileRequest.builder().instanceProfileName("p")
                    .roleName("r").build());
            iam.attachRolePolicy(ROOT, AttachRolePolicyRequest.builder().roleName("r").policyArn(ADMIN).build());
            iam.putRolePolicy(ROOT, PutRolePolicyRequest.builder().roleName("r").policyName("i").policyDocument(READ)
                    .build());

            assertIamError(() -> iam.deleteRole(ROOT, DeleteRoleRequest.builder().roleName("r").build()),
                    "DeleteConflict", 409, "Cannot delete entity, must remove roles from instance profile first.");
            iam.removeRoleFromInstanceProfile(ROOT, RemoveRoleFromInstanceProfileRequest.builder()
                    .instanceProfileName("p").roleName("r").build());
            assertIamError(() -> iam.deleteRole(ROOT, DeleteRoleRequest.builder().roleName("r").build()),
                    "DeleteConflict", 409, "Cannot delete entity, must delete policies first.");
            iam.deleteRolePolicy(ROOT, DeleteRolePolicyRequest.builder().roleName("r").policyName("i").build());
            assertIamError(() -> iam.deleteRole(ROOT, DeleteRoleRequest.builder().roleName("r").build()),
                    "DeleteConflict", 409, "Cannot delete entity, must detach all policies first.");
            iam.detachRolePolicy(ROOT, DetachRolePolicyRequest.builder().roleName("r").policyArn(ADMIN).build());
            iam.deleteRole(ROOT, DeleteRoleRequest.builder().roleName("r").build());
        }
    }

    @Nested
    class ManagedPolicies {

        @Test
        void createPolicyRefusesDuplicatesAndMalformedDocuments() {
            policy("p");
            assertIamError(() -> policy("P"), "EntityAlreadyExists", 409,
                    "A policy called P already exists. Duplicate names are not allowed.");
            assertIamError(() -> iam.createPolicy(ROOT, CreatePolicyRequest.builder().policyName("q")
                    .policyDocument("{\"Version\":\"2001-01-01\",\"Statement\":[]}").build()), "MalformedPolicyDocument",
                    400, "The policy failed legacy parsing");
        }

        @Test
        void unknownPoliciesAndVersionsAreNoSuchEntity() {
            String arn = "arn:aws:iam::" + ACCOUNT + ":policy/ghost";
            assertIamError(() -> iam.getPolicy(ROOT, GetPolicyRequest.builder().policyArn(arn).build()), "NoSuchEntity",
                    404, "Policy " + arn + " does not exist or is not attachable.");
            assertIamError(() -> iam.deletePolicy(ROOT, DeletePolicyRequest.builder().policyArn(arn).build()),
                    "NoSuchEntity", 404, null);
            assertIamError(() -> iam.createPolicyVersion(ROOT, CreatePolicyVersionRequest.builder().policyArn(arn)
                    .policyDocument(READ).build()), "NoSuchEntity", 404, null);
            String real = policy("real");
            assertIamError(() -> iam.getPolicyVersion(ROOT, GetPolicyVersionRequest.builder().policyArn(real)
                    .versionId("v7").build()), "NoSuchEntity", 404,
                    "Policy " + real + " version v7 does not exist or is not attachable.");
            assertIamError(() -> iam.setDefaultPolicyVersion(ROOT, SetDefaultPolicyVersionRequest.builder()
                    .policyArn(real).versionId("v7").build()), "NoSuchEntity", 404, null);
            assertIamError(() -> iam.getPolicyVersion(ROOT, GetPolicyVersionRequest.builder().policyArn(ADMIN)
                    .versionId("v2").build()), "NoSuchEntity", 404, null);
        }

        @Test
        void aPolicyHasAtMostFiveVersionsAndItsDefaultCannotBeDeleted() {
            String arn = policy("versioned");
            for (int i = 2; i <= IamService.MAX_POLICY_VERSIONS; i++) {
                iam.createPolicyVersion(ROOT, CreatePolicyVersionRequest.builder().policyArn(arn).policyDocument(READ)
                        .build());
            }
            assertIamError(() -> iam.createPolicyVersion(ROOT, CreatePolicyVersionRequest.builder().policyArn(arn)
                    .policyDocument(READ).build()), "LimitExceeded", 409, null);
            assertIamError(() -> iam.deletePolicyVersion(ROOT, DeletePolicyVersionRequest.builder().policyArn(arn)
                    .versionId("v1").build()), "DeleteConflict", 409, null);
            assertIamError(() -> iam.deletePolicy(ROOT, DeletePolicyRequest.builder().policyArn(arn).build()),
                    "DeleteConflict", 409, null);

            iam.setDefaultPolicyVersion(ROOT, SetDefaultPolicyVersionRequest.builder().policyArn(arn).versionId("v5")
                    .build());
            iam.deletePolicyVersion(ROOT, DeletePolicyVersionRequest.builder().policyArn(arn).versionId("v1").build());
            assertThat(iam.listPolicyVersions(ROOT, ListPolicyVersionsRequest.builder().policyArn(arn).build()).versions())
                    .extracting(PolicyVersion::versionId).containsExactly("v5", "v4", "v3", "v2");
            assertThat(iam.getPolicy(ROOT, GetPolicyRequest.builder().policyArn(arn).build()).policy().defaultVersionId())
                    .isEqualTo("v5");
        }

        @Test
        void awsManagedPoliciesCannotBeChangedOrDeleted() {
            assertIamError(() -> iam.deletePolicy(ROOT, DeletePolicyRequest.builder().policyArn(ADMIN).build()),
                    "InvalidInput", 400, null);
            assertIamError(() -> iam.createPolicyVersion(ROOT, CreatePolicyVersionRequest.builder().policyArn(ADMIN)
                    .policyDocument(READ).build()), "InvalidInput", 400, null);
        }

        @Test
        void listPoliciesKnowsOnlyItsThreeScopes() {
            assertIamError(() -> iam.listPolicies(ROOT, ListPoliciesRequest.builder().scope("Mine").build()),
                    "ValidationError", 400, null);
            policy("local");
            assertThat(iam.listPolicies(ROOT, ListPoliciesRequest.builder().scope(PolicyScopeType.LOCAL).build())
                    .policies()).extracting(Policy::policyName).containsExactly("local");
            assertThat(iam.listPolicies(ROOT, ListPoliciesRequest.builder().onlyAttached(true).build()).policies())
                    .isEmpty();
        }
    }

    @Nested
    class InstanceProfiles {

        @Test
        void instanceProfileErrors() {
            profile("p");
            assertIamError(() -> profile("P"), "EntityAlreadyExists", 409, "Instance Profile P already exists.");
            assertIamError(() -> iam.getInstanceProfile(ROOT, GetInstanceProfileRequest.builder()
                    .instanceProfileName("ghost").build()), "NoSuchEntity", 404, "Instance Profile ghost cannot be found.");
            assertIamError(() -> iam.addRoleToInstanceProfile(ROOT, AddRoleToInstanceProfileRequest.builder()
                    .instanceProfileName("ghost").roleName("r").build()), "NoSuchEntity", 404, null);
            assertIamError(() -> iam.addRoleToInstanceProfile(ROOT, AddRoleToInstanceProfileRequest.builder()
                    .instanceProfileName("p").roleName("ghost").build()), "NoSuchEntity", 404,
                    "The role with name ghost cannot be found.");
            assertIamError(() -> iam.removeRoleFromInstanceProfile(ROOT, RemoveRoleFromInstanceProfileRequest.builder()
                    .instanceProfileName("p").roleName("ghost").build()), "NoSuchEntity", 404, null);
            assertIamError(() -> iam.deleteInstanceProfile(ROOT, DeleteInstanceProfileRequest.builder()
                    .instanceProfileName("ghost").build()), "NoSuchEntity", 404, null);
            assertIamError(() -> iam.listInstanceProfilesForRole(ROOT, ListInstanceProfilesForRoleRequest.builder()
                    .roleName("ghost").build()), "NoSuchEntity", 404, null);
            role("r1");
            role("r2");
            iam.addRoleToInstanceProfile(ROOT, AddRoleToInstanceProfileRequest.builder().instanceProfileName("p")
                    .roleName("r1").build());
            assertIamError(() -> iam.addRoleToInstanceProfile(ROOT, AddRoleToInstanceProfileRequest.builder()
                    .instanceProfileName("p").roleName("r2").build()), "LimitExceeded", 409,
                    "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
            assertIamError(() -> iam.deleteInstanceProfile(ROOT, DeleteInstanceProfileRequest.builder()
                    .instanceProfileName("p").build()), "DeleteConflict", 409,
                    "Cannot delete entity, must remove roles from instance profile first.");
        }
    }

    @Nested
    class Authorization {

        final Caller alice = new Caller(ROOT.scope(), "arn:aws:iam::" + ACCOUNT + ":user/alice");

        @Test
        void aCallerOtherThanRootIsAskedOfTheAuthorizerWithTheActionAndResource() {
            List<AccessRequest> asked = new java.util.ArrayList<>();
            IamService guarded = new IamService(directories, keys, (caller, request) -> {
                asked.add(request);
                return Decision.IMPLICIT_DENY;
            }, clock);

            assertIamError(() -> guarded.createUser(alice, CreateUserRequest.builder().userName("bob").path("/ops/").build()),
                    "AccessDenied", 403, "User: arn:aws:iam::" + ACCOUNT + ":user/alice is not authorized to perform: "
                            + "iam:CreateUser on resource: arn:aws:iam::" + ACCOUNT + ":user/ops/bob");
            assertThat(asked).containsExactly(new AccessRequest("iam:CreateUser", "arn:aws:iam::" + ACCOUNT + ":user/ops/bob"));
            guarded.createUser(ROOT, CreateUserRequest.builder().userName("bob").build());
        }

        @Test
        void anExplicitDenySaysSo() {
            IamService denied = new IamService(directories, keys, (caller, request) -> Decision.EXPLICIT_DENY, clock);

            assertIamError(() -> denied.listRoles(alice, ListRolesRequest.builder().build()), "AccessDenied", 403,
                    "User: arn:aws:iam::" + ACCOUNT + ":user/alice is not authorized to perform: iam:ListRoles on "
                            + "resource: arn:aws:iam::" + ACCOUNT + ":role/* with an explicit deny in an identity-based policy");
        }
    }

    @Nested
    class WhatOthersAsk {

        @Test
        void policiesOfAUserAreItsInlineAndAttachedDocumentsAndTheirVersionMovesOnChange() {
            user("u");
            String custom = policy("custom");
            iam.putUserPolicy(ROOT, PutUserPolicyRequest.builder().userName("u").policyName("i").policyDocument(READ).build());
            iam.attachUserPolicy(ROOT, AttachUserPolicyRequest.builder().userName("u").policyArn(custom).build());
            iam.attachUserPolicy(ROOT, AttachUserPolicyRequest.builder().userName("u").policyArn(ADMIN).build());

            Iam.PrincipalPolicies before = facade.policiesOf("arn:aws:iam::" + ACCOUNT + ":user/u");
            iam.detachUserPolicy(ROOT, DetachUserPolicyRequest.builder().userName("u").policyArn(ADMIN).build());
            Iam fresh = new Iam(store, keys, clock);
            Iam.PrincipalPolicies after = fresh.policiesOf("arn:aws:iam::" + ACCOUNT + ":user/u");

            assertThat(before.documents()).hasSize(3).contains(READ).anyMatch(d -> d.contains("\"Action\":\"*\""));
            assertThat(after.documents()).containsExactly(READ, READ);
            assertThat(after.version()).isGreaterThan(before.version());
        }

        @Test
        void policiesOfASessionAreItsRolesAndTheRootHasNone() {
            role("app");
            iam.putRolePolicy(ROOT, PutRolePolicyRequest.builder().roleName("app").policyName("i").policyDocument(READ).build());

            assertThat(facade.policiesOf("arn:aws:sts::" + ACCOUNT + ":assumed-role/app/task-1").documents())
                    .containsExactly(READ);
            assertThat(facade.policiesOf(ROOT.principalArn()).documents()).isEmpty();
            assertThat(facade.policiesOf("arn:aws:iam::" + ACCOUNT + ":user/ghost").documents()).isEmpty();
        }

        @Test
        void aRoleIsFoundByItsArnWithItsPath() {
            iam.createRole(ROOT, CreateRoleRequest.builder().roleName("pathed").path("/svc/").assumeRolePolicyDocument(TRUST)
                    .maxSessionDuration(7200).build());

            assertThat(facade.role("arn:aws:iam::" + ACCOUNT + ":role/svc/pathed")).hasValueSatisfying(r -> {
                assertThat(r.trustPolicy()).isEqualTo(TRUST);
                assertThat(r.maxSessionDurationSeconds()).isEqualTo(7200);
                assertThat(r.roleId()).startsWith("AROA");
            });
            assertThat(facade.role("arn:aws:iam::" + ACCOUNT + ":role/pathed")).isEmpty();
            assertThat(facade.role("arn:aws:iam::999999999999:role/svc/pathed")).isEmpty();
        }

        @Test
        void bootstrapAdminCreatesTheUserWithAdministratorAccessAndAKey() {
            AccessKey key = facade.bootstrapAdmin("aws", ACCOUNT, "admin");

            assertThat(key.principalArn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/admin");
            assertThat(iam.listAttachedUserPolicies(ROOT, ListAttachedUserPoliciesRequest.builder().userName("admin")
                    .build()).attachedPolicies()).extracting(AttachedPolicy::policyArn).containsExactly(ADMIN);
        }
    }
}
