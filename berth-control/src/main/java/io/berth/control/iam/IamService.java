package io.berth.control.iam;

import io.berth.control.Caller;
import io.berth.control.iam.Directory.InstanceProfile;
import io.berth.control.iam.Directory.ManagedPolicy;
import io.berth.control.iam.Directory.Policies;
import io.berth.control.iam.Directory.PolicyVersion;
import io.berth.control.iam.Directory.Role;
import io.berth.control.iam.Directory.User;
import io.berth.control.iam.Directories.Change;
import io.berth.control.iam.policy.PolicyDocument;
import io.berth.model.EcsException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.iam.model.AddRoleToInstanceProfileRequest;
import software.amazon.awssdk.services.iam.model.AddRoleToInstanceProfileResponse;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.AttachRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.AttachRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.AttachUserPolicyRequest;
import software.amazon.awssdk.services.iam.model.AttachUserPolicyResponse;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.CreateAccessKeyRequest;
import software.amazon.awssdk.services.iam.model.CreateAccessKeyResponse;
import software.amazon.awssdk.services.iam.model.CreateInstanceProfileRequest;
import software.amazon.awssdk.services.iam.model.CreateInstanceProfileResponse;
import software.amazon.awssdk.services.iam.model.CreatePolicyRequest;
import software.amazon.awssdk.services.iam.model.CreatePolicyResponse;
import software.amazon.awssdk.services.iam.model.CreatePolicyVersionRequest;
import software.amazon.awssdk.services.iam.model.CreatePolicyVersionResponse;
import software.amazon.awssdk.services.iam.model.CreateRoleRequest;
import software.amazon.awssdk.services.iam.model.CreateRoleResponse;
import software.amazon.awssdk.services.iam.model.CreateUserRequest;
import software.amazon.awssdk.services.iam.model.CreateUserResponse;
import software.amazon.awssdk.services.iam.model.DeleteAccessKeyRequest;
import software.amazon.awssdk.services.iam.model.DeleteAccessKeyResponse;
import software.amazon.awssdk.services.iam.model.DeleteInstanceProfileRequest;
import software.amazon.awssdk.services.iam.model.DeleteInstanceProfileResponse;
import software.amazon.awssdk.services.iam.model.DeletePolicyRequest;
import software.amazon.awssdk.services.iam.model.DeletePolicyResponse;
import software.amazon.awssdk.services.iam.model.DeletePolicyVersionRequest;
import software.amazon.awssdk.services.iam.model.DeletePolicyVersionResponse;
import software.amazon.awssdk.services.iam.model.DeleteRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.DeleteRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.DeleteRoleRequest;
import software.amazon.awssdk.services.iam.model.DeleteRoleResponse;
import software.amazon.awssdk.services.iam.model.DeleteUserPolicyRequest;
import software.amazon.awssdk.services.iam.model.DeleteUserPolicyResponse;
import software.amazon.awssdk.services.iam.model.DeleteUserRequest;
import software.amazon.awssdk.services.iam.model.DeleteUserResponse;
import software.amazon.awssdk.services.iam.model.DetachRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.DetachRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.DetachUserPolicyRequest;
import software.amazon.awssdk.services.iam.model.DetachUserPolicyResponse;
import software.amazon.awssdk.services.iam.model.GetInstanceProfileRequest;
import software.amazon.awssdk.services.iam.model.GetInstanceProfileResponse;
import software.amazon.awssdk.services.iam.model.GetPolicyRequest;
import software.amazon.awssdk.services.iam.model.GetPolicyResponse;
import software.amazon.awssdk.services.iam.model.GetPolicyVersionRequest;
import software.amazon.awssdk.services.iam.model.GetPolicyVersionResponse;
import software.amazon.awssdk.services.iam.model.GetRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.GetRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.GetRoleRequest;
import software.amazon.awssdk.services.iam.model.GetRoleResponse;
import software.amazon.awssdk.services.iam.model.GetUserPolicyRequest;
import software.amazon.awssdk.services.iam.model.GetUserPolicyResponse;
import software.amazon.awssdk.services.iam.model.GetUserRequest;
import software.amazon.awssdk.services.iam.model.GetUserResponse;
import software.amazon.awssdk.services.iam.model.ListAccessKeysRequest;
import software.amazon.awssdk.services.iam.model.ListAccessKeysResponse;
import software.amazon.awssdk.services.iam.model.ListAttachedRolePoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListAttachedRolePoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListAttachedUserPoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListAttachedUserPoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListInstanceProfilesForRoleRequest;
import software.amazon.awssdk.services.iam.model.ListInstanceProfilesForRoleResponse;
import software.amazon.awssdk.services.iam.model.ListInstanceProfilesRequest;
import software.amazon.awssdk.services.iam.model.ListInstanceProfilesResponse;
import software.amazon.awssdk.services.iam.model.ListPoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListPoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListPolicyVersionsRequest;
import software.amazon.awssdk.services.iam.model.ListPolicyVersionsResponse;
import software.amazon.awssdk.services.iam.model.ListRolePoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListRolePoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListRoleTagsRequest;
import software.amazon.awssdk.services.iam.model.ListRoleTagsResponse;
import software.amazon.awssdk.services.iam.model.ListRolesRequest;
import software.amazon.awssdk.services.iam.model.ListRolesResponse;
import software.amazon.awssdk.services.iam.model.ListUserPoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListUserPoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListUserTagsRequest;
import software.amazon.awssdk.services.iam.model.ListUserTagsResponse;
import software.amazon.awssdk.services.iam.model.ListUsersRequest;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.iam.model.PutRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.PutRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.PutUserPolicyRequest;
import software.amazon.awssdk.services.iam.model.PutUserPolicyResponse;
import software.amazon.awssdk.services.iam.model.RemoveRoleFromInstanceProfileRequest;
import software.amazon.awssdk.services.iam.model.RemoveRoleFromInstanceProfileResponse;
import software.amazon.awssdk.services.iam.model.SetDefaultPolicyVersionRequest;
import software.amazon.awssdk.services.iam.model.SetDefaultPolicyVersionResponse;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.TagRoleRequest;
import software.amazon.awssdk.services.iam.model.TagRoleResponse;
import software.amazon.awssdk.services.iam.model.TagUserRequest;
import software.amazon.awssdk.services.iam.model.TagUserResponse;
import software.amazon.awssdk.services.iam.model.UntagRoleRequest;
import software.amazon.awssdk.services.iam.model.UntagRoleResponse;
import software.amazon.awssdk.services.iam.model.UntagUserRequest;
import software.amazon.awssdk.services.iam.model.UntagUserResponse;
import software.amazon.awssdk.services.iam.model.UpdateAccessKeyRequest;
import software.amazon.awssdk.services.iam.model.UpdateAccessKeyResponse;
import software.amazon.awssdk.services.iam.model.UpdateAssumeRolePolicyRequest;
import software.amazon.awssdk.services.iam.model.UpdateAssumeRolePolicyResponse;

/**
 * The IAM API of one installation: users and their access keys, roles with trust policies, inline
 * and managed policies, instance profiles. Every change is durable before it answers; callers other
 * than an account's root need the {@code iam:} permission of the action, asked of the
 * {@link Authorizer}.
 */
final class IamService {

    static final int MAX_KEYS_PER_USER = 2;
    static final int MAX_ATTACHED_POLICIES = 10;
    static final int MAX_POLICY_VERSIONS = 5;
    static final int MAX_TAGS = 50;
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final Directories directories;
    private final AccessKeys keys;
    private final Authorizer authorizer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    IamService(Directories directories, AccessKeys keys, Authorizer authorizer, Clock clock) {
        this.directories = directories;
        this.keys = keys;
        this.authorizer = authorizer;
        this.clock = clock;
    }

    void addTo(QueryOperations operations) {
        operations.add("CreateUser", CreateUserRequest.class, this::createUser);
        operations.add("GetUser", GetUserRequest.class, this::getUser);
        operations.add("ListUsers", ListUsersRequest.class, this::listUsers);
        operations.add("DeleteUser", DeleteUserRequest.class, this::deleteUser);
        operations.add("TagUser", TagUserRequest.class, this::tagUser);
        operations.add("UntagUser", UntagUserRequest.class, this::untagUser);
        operations.add("ListUserTags", ListUserTagsRequest.class, this::listUserTags);
        operations.add("CreateAccessKey", CreateAccessKeyRequest.class, this::createAccessKey);
        operations.add("ListAccessKeys", ListAccessKeysRequest.class, this::listAccessKeys);
        operations.add("UpdateAccessKey", UpdateAccessKeyRequest.class, this::updateAccessKey);
        operations.add("DeleteAccessKey", DeleteAccessKeyRequest.class, this::deleteAccessKey);
        operations.add("PutUserPolicy", PutUserPolicyRequest.class, this::putUserPolicy);
        operations.add("GetUserPolicy", GetUserPolicyRequest.class, this::getUserPolicy);
        operations.add("ListUserPolicies", ListUserPoliciesRequest.class, this::listUserPolicies);
        operations.add("DeleteUserPolicy", DeleteUserPolicyRequest.class, this::deleteUserPolicy);
        operations.add("AttachUserPolicy", AttachUserPolicyRequest.class, this::attachUserPolicy);
        operations.add("DetachUserPolicy", DetachUserPolicyRequest.class, this::detachUserPolicy);
        operations.add("ListAttachedUserPolicies", ListAttachedUserPoliciesRequest.class, this::listAttachedUserPolicies);

        operations.add("CreateRole", CreateRoleRequest.class, this::createRole);
        operations.add("GetRole", GetRoleRequest.class, this::getRole);
        operations.add("ListRoles", ListRolesRequest.class, this::listRoles);
        operations.add("DeleteRole", DeleteRoleRequest.class, this::deleteRole);
        operations.add("UpdateAssumeRolePolicy", UpdateAssumeRolePolicyRequest.class, this::updateAssumeRolePolicy);
        operations.add("TagRole", TagRoleRequest.class, this::tagRole);
        operations.add("UntagRole", UntagRoleRequest.class, this::untagRole);
        operations.add("ListRoleTags", ListRoleTagsRequest.class, this::listRoleTags);
        operations.add("PutRolePolicy", PutRolePolicyRequest.class, this::putRolePolicy);
        operations.add("GetRolePolicy", GetRolePolicyRequest.class, this::getRolePolicy);
        operations.add("ListRolePolicies", ListRolePoliciesRequest.class, this::listRolePolicies);
        operations.add("DeleteRolePolicy", DeleteRolePolicyRequest.class, this::deleteRolePolicy);
        operations.add("AttachRolePolicy", AttachRolePolicyRequest.class, this::attachRolePolicy);
        operations.add("DetachRolePolicy", DetachRolePolicyRequest.class, this::detachRolePolicy);
        operations.add("ListAttachedRolePolicies", ListAttachedRolePoliciesRequest.class, this::listAttachedRolePolicies);

        operations.add("CreatePolicy", CreatePolicyRequest.class, this::createPolicy);
        operations.add("GetPolicy", GetPolicyRequest.class, this::getPolicy);
        operations.add("ListPolicies", ListPoliciesRequest.class, this::listPolicies);
        operations.add("DeletePolicy", DeletePolicyRequest.class, this::deletePolicy);
        operations.add("CreatePolicyVersion", CreatePolicyVersionRequest.class, this::createPolicyVersion);
        operations.add("GetPolicyVersion", GetPolicyVersionRequest.class, this::getPolicyVersion);
        operations.add("ListPolicyVersions", ListPolicyVersionsRequest.class, this::listPolicyVersions);
        operations.add("DeletePolicyVersion", DeletePolicyVersionRequest.class, this::deletePolicyVersion);
        operations.add("SetDefaultPolicyVersion", SetDefaultPolicyVersionRequest.class, this::setDefaultPolicyVersion);

        operations.add("CreateInstanceProfile", CreateInstanceProfileRequest.class, this::createInstanceProfile);
        operations.add("GetInstanceProfile", GetInstanceProfileRequest.class, this::getInstanceProfile);
        operations.add("ListInstanceProfiles", ListInstanceProfilesRequest.class, this::listInstanceProfiles);
        operations.add("DeleteInstanceProfile", DeleteInstanceProfileRequest.class, this::deleteInstanceProfile);
        operations.add("AddRoleToInstanceProfile", AddRoleToInstanceProfileRequest.class, this::addRoleToInstanceProfile);
        operations.add("RemoveRoleFromInstanceProfile", RemoveRoleFromInstanceProfileRequest.class,
                this::removeRoleFromInstanceProfile);
        operations.add("ListInstanceProfilesForRole", ListInstanceProfilesForRoleRequest.class,
                this::listInstanceProfilesForRole);
    }

    // ---- users ----

    CreateUserResponse createUser(Caller caller, CreateUserRequest request) {
        String name = IamErrors.name("userName", request.userName(), 64);
        String path = IamErrors.path("path", request.path());
        authorize(caller, "iam:CreateUser", arn(caller, "user", path, name));
        Map<String, String> tags = tags(request.tags());
        User user = update(caller, directory -> {
            if (directory.user(name).isPresent()) {
                throw IamErrors.alreadyExists("User with name " + name + " already exists.");
            }
            User created = new User(name, path, newId("AIDA"), now(), Policies.none(), tags);
            return new Change<>(directory.with(created), created);
        });
        return CreateUserResponse.builder().user(toUser(caller, user, true)).build();
    }

    GetUserResponse getUser(Caller caller, GetUserRequest request) {
        if (request.userName() == null) {
            Principals.Principal self = Principals.parse(caller.principalArn())
                    .orElseThrow(() -> IamErrors.validation("Must specify userName when calling with non-User credentials"));
            if ("root".equals(self.type())) {
                return GetUserResponse.builder().user(u -> u.userId(caller.scope().account())
                        .arn(caller.principalArn()).createDate(keys.account(caller.scope().account()).created()
                                .truncatedTo(ChronoUnit.SECONDS))).build();
            }
            if (!"user".equals(self.type())) {
                throw IamErrors.validation("Must specify userName when calling with non-User credentials");
            }
            User user = read(caller).user(self.name()).orElseThrow(() -> noSuchUser(self.name()));
            authorize(caller, "iam:GetUser", userArn(caller, user));
            return GetUserResponse.builder().user(toUser(caller, user, true)).build();
        }
        String name = IamErrors.name("userName", request.userName(), 128);
        Directory directory = read(caller);
        User user = directory.user(name).orElseThrow(() -> noSuchUser(name));
        authorize(caller, "iam:GetUser", userArn(caller, user));
        return GetUserResponse.builder().user(toUser(caller, user, true)).build();
    }

    ListUsersResponse listUsers(Caller caller, ListUsersRequest request) {
        String prefix = IamErrors.pathPrefix(request.pathPrefix());
        authorize(caller, "iam:ListUsers", arn(caller, "user", prefix, "*"));
        List<User> users = read(caller).users().values().stream().filter(u -> u.path().startsWith(prefix)).toList();
        MarkerPage<User> page = MarkerPage.page(users, u -> Directory.key(u.name()), request.marker(), request.maxItems());
        return ListUsersResponse.builder().users(page.items().stream().map(u -> toUser(caller, u, false)).toList())
                .isTruncated(page.truncated()).marker(page.marker()).build();
    }

    DeleteUserResponse deleteUser(Caller caller, DeleteUserRequest request) {
        String name = IamErrors.name("userName", request.userName(), 128);
        update(caller, directory -> {
            User user = directory.user(name).orElseThrow(() -> noSuchUser(name));
            String arn = userArn(caller, user);
            authorize(caller, "iam:DeleteUser", arn);
            if (!keysOf(caller, arn).isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete entity, must delete access keys first.");
            }
            if (!user.policies().inline().isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete entity, must delete policies first.");
            }
            if (!user.attachedPolicies().isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete entity, must detach all policies first.");
            }
            return new Change<>(directory.withoutUser(name), null);
        });
        return DeleteUserResponse.builder().build();
    }

    TagUserResponse tagUser(Caller caller, TagUserRequest request) {
        String name = IamErrors.name("userName", request.userName(), 128);
        Map<String, String> added = tags(request.tags());
        update(caller, directory -> {
            User user = directory.user(name).orElseThrow(() -> noSuchUser(name));
            authorize(caller, "iam:TagUser", userArn(caller, user));
            return new Change<>(directory.with(user.withTags(mergeTags(user.tags(), added))), null);
        });
        return TagUserResponse.builder().build();
    }

    UntagUserResponse untagUser(Caller caller, UntagUserRequest request) {
        String name = IamErrors.name("userName", request.userName(), 128);
        update(caller, directory -> {
            User user = directory.user(name).orElseThrow(() -> noSuchUser(name));
            authorize(caller, "iam:UntagUser", userArn(caller, user));
            return new Change<>(directory.with(user.withTags(withoutTags(user.tags(), request.tagKeys()))), null);
        });
        return UntagUserResponse.builder().build();
    }

    ListUserTagsResponse listUserTags(Caller caller, ListUserTagsRequest request) {
        String name = IamErrors.name("userName", request.userName(), 128);
        User user = read(caller).user(name).orElseThrow(() -> noSuchUser(name));
        authorize(caller, "iam:ListUserTags", userArn(caller, user));
        MarkerPage<Tag> page = MarkerPage.page(toTags(user.tags()), Tag::key, request.marker(), request.maxItems());
        return ListUserTagsResponse.builder().tags(page.items()).isTruncated(page.truncated()).marker(page.marker())
                .build();
    }

    // ---- access keys ----

    CreateAccessKeyResponse createAccessKey(Caller caller, CreateAccessKeyRequest request) {
        KeyHolder holder = keyHolder(caller, request.userName());
        authorize(caller, "iam:CreateAccessKey", holder.arn());
        // Serialized with the account's other changes so that two calls cannot both pass the quota.
        AccessKey key = update(caller, directory -> {
            if (holder.userName() != null && directory.user(holder.userName()).isEmpty()) {
                throw noSuchUser(holder.userName());
            }
            if (keysOf(caller, holder.arn()).size() >= MAX_KEYS_PER_USER) {
                throw IamErrors.limitExceeded("AccessKeysPerUser", MAX_KEYS_PER_USER);
            }
            return new Change<>(directory, keys.create(caller.scope().account(), holder.arn()));
        });
        return CreateAccessKeyResponse.builder().accessKey(k -> k.userName(holder.userName())
                .accessKeyId(key.accessKeyId()).secretAccessKey(key.secretAccessKey()).status(key.status())
                .createDate(key.created().truncatedTo(ChronoUnit.SECONDS))).build();
    }

    ListAccessKeysResponse listAccessKeys(Caller caller, ListAccessKeysRequest request) {
        KeyHolder holder = keyHolder(caller, request.userName());
        authorize(caller, "iam:ListAccessKeys", holder.arn());
        List<AccessKeyMetadata> metadata = keysOf(caller, holder.arn()).stream()
                .sorted(Comparator.comparing(AccessKey::created).thenComparing(AccessKey::accessKeyId))
                .map(k -> AccessKeyMetadata.builder().userName(holder.userName()).accessKeyId(k.accessKeyId())
                        .status(k.status()).createDate(k.created().truncatedTo(ChronoUnit.SECONDS)).build())
                .toList();
        MarkerPage<AccessKeyMetadata> page = MarkerPage.page(metadata, AccessKeyMetadata::accessKeyId, request.marker(),
                request.maxItems());
        return ListAccessKeysResponse.builder().accessKeyMetadata(page.items()).isTruncated(page.truncated())
                .marker(page.marker()).build();
    }

    UpdateAccessKeyResponse updateAccessKey(Caller caller, UpdateAccessKeyRequest request) {
        KeyHolder holder = keyHolder(caller, request.userName());
        String keyId = IamErrors.required("accessKeyId", request.accessKeyId());
        String status = IamErrors.required("status", request.statusAsString());
        if (!AccessKey.ACTIVE.equals(status) && !AccessKey.INACTIVE.equals(status)) {
            throw IamErrors.constraint("status", status, "Member must satisfy enum value set: [Active, Inactive]");
        }
        authorize(caller, "iam:UpdateAccessKey", holder.arn());
        AccessKey key = keyOf(caller, holder, keyId);
        keys.setStatus(key.accessKeyId(), status);
        return UpdateAccessKeyResponse.builder().build();
    }

    DeleteAccessKeyResponse deleteAccessKey(Caller caller, DeleteAccessKeyRequest request) {
        KeyHolder holder = keyHolder(caller, request.userName());
        String keyId = IamErrors.required("accessKeyId", request.accessKeyId());
        authorize(caller, "iam:DeleteAccessKey", holder.arn());
        keys.delete(keyOf(caller, holder, keyId).accessKeyId());
        return DeleteAccessKeyResponse.builder().build();
    }

    /** Whose keys a call is about: the named user, or the caller itself (a user or the root). */
    private record KeyHolder(String userName, String arn) {
    }

    private KeyHolder keyHolder(Caller caller, String userName) {
        if (userName != null) {
            String name = IamErrors.name("userName", userName, 128);
            User user = read(caller).user(name).orElseThrow(() -> noSuchUser(name));
            return new KeyHolder(user.name(), userArn(caller, user));
        }
        Principals.Principal self = Principals.parse(caller.principalArn()).orElse(null);
        if (self != null && "root".equals(self.type())) {
            return new KeyHolder(null, caller.principalArn());
        }
        if (self != null && "user".equals(self.type())) {
            User user = read(caller).user(self.name()).orElseThrow(() -> noSuchUser(self.name()));
            return new KeyHolder(user.name(), userArn(caller, user));
        }
        throw IamErrors.validation("Must specify userName when calling with non-User credentials");
    }

    private AccessKey keyOf(Caller caller, KeyHolder holder, String keyId) {
        return keysOf(caller, holder.arn()).stream().filter(k -> k.accessKeyId().equals(keyId)).findFirst()
                .orElseThrow(() -> IamErrors.noSuchEntity("The Access Key with id " + keyId + " cannot be found."));
    }

    private List<AccessKey> keysOf(Caller caller, String principalArn) {
        return keys.listOf(caller.scope().account(), principalArn);
    }

    // ---- user policies ----

    PutUserPolicyResponse putUserPolicy(Caller caller, PutUserPolicyRequest request) {
        String name = IamErrors.name("userName", request.userName(), 128);
        String policyName = IamErrors.name("policyName", request.policyName(), 128);
        String document = PolicyDocuments.requireIdentityPolicy("policyDocument", request.policyDocument(),
                PolicyDocument.USER_INLINE_SIZE_LIMIT);
        changeUser(caller, name, "iam:PutUserPolicy", user -> user.with(p -> withinInlineQuota(
                p.withInline(policyName, document), PolicyDocument.USER_INLINE_SIZE_LIMIT)));
        return PutUserPolicyResponse.builder().build();
    }

    GetUserPolicyResponse getUserPolicy(Caller caller, GetUserPolicyRequest request) {
        String name = IamErrors.name("userName", request.userName(), 128);
        String policyName = IamErrors.name("policyName", request.policyName(), 128);
        User user = read(caller).user(name).orElseThrow(() -> noSuchUser(name));
        authorize(caller, "iam:GetUserPolicy", userArn(caller, user));
        String document = user.policies().inlineNamed(policyName).orElseThrow(() ->
                IamErrors.noSuchEntity("The user policy with name " + policyName + " cannot be found."));
        return GetUserPolicyResponse.builder().userName(user.name()).policyName(canonicalInlineName(user.policies(),
                policyName)).policyDocument(document).build();
    }

    ListUserPoliciesResponse listUserPolicies(Caller caller, ListUserPoliciesRequest request) {
        String name = IamErrors.name("userName", request.userName(), 128);
        User user = read(caller).user(name).orElseThrow(() -> noSuchUser(name));
        authorize(caller, "iam:ListUserPolicies", userArn(caller, user));
        MarkerPage<String> page = MarkerPage.page(sortedNames(user.policies()), Directory::key, request.marker(),
                request.maxItems());
        return ListUserPoliciesResponse.builder().policyNames(page.items()).isTruncated(page.truncated())
                .marker(page.marker()).build();
    }

    DeleteUserPolicyResponse deleteUserPolicy(Caller caller, DeleteUserPolicyRequest request) {
        String name = IamErrors.name("userName", request.userName(), 128);
        String policyName = IamErrors.name("policyName", request.policyName(), 128);
        changeUser(caller, name, "iam:DeleteUserPolicy", user -> {
            if (user.policies().inlineNamed(policyName).isEmpty()) {
                throw IamErrors.noSuchEntity("The user policy with name " + policyName + " cannot be found.");
            }
            return user.with(p -> p.withoutInline(policyName));
        });
        return DeleteUserPolicyResponse.builder().build();
    }

    AttachUserPolicyResponse attachUserPolicy(Caller caller, AttachUserPolicyRequest request) {
        String name = IamErrors.name("userName", request.userName(), 128);
        String policyArn = policyArn(request.policyArn());
        update(caller, directory -> {
            User user = directory.user(name).orElseThrow(() -> noSuchUser(name));
            authorize(caller, "iam:AttachUserPolicy", userArn(caller, user));
            requireAttachable(caller, directory, policyArn);
            if (!user.attachedPolicies().contains(policyArn) && user.attachedPolicies().size() >= MAX_ATTACHED_POLICIES) {
                throw IamErrors.limitExceeded("PoliciesPerUser", MAX_ATTACHED_POLICIES);
            }
            return new Change<>(directory.with(user.with(p -> p.attach(policyArn))), null);
        });
        return AttachUserPolicyResponse.builder().build();
    }

    DetachUserPolicyResponse detachUserPolicy(Caller caller, DetachUserPolicyRequest request) {
        String name = IamErrors.name("userName", request.userName(), 128);
        String policyArn = policyArn(request.policyArn());
        changeUser(caller, name, "iam:DetachUserPolicy", user -> {
            if (!user.attachedPolicies().contains(policyArn)) {
                throw IamErrors.noSuchEntity("Policy " + policyArn + " was not found.");
            }
            return user.with(p -> p.detach(policyArn));
        });
        return DetachUserPolicyResponse.builder().build();
    }

    ListAttachedUserPoliciesResponse listAttachedUserPolicies(Caller caller, ListAttachedUserPoliciesRequest request) {
        String name = IamErrors.name("userName", request.userName(), 128);
        String prefix = IamErrors.pathPrefix(request.pathPrefix());
        Directory directory = read(caller);
        User user = directory.user(name).orElseThrow(() -> noSuchUser(name));
        authorize(caller, "iam:ListAttachedUserPolicies", userArn(caller, user));
        MarkerPage<AttachedPolicy> page = attachedPage(caller, directory, user.attachedPolicies(), prefix,
                request.marker(), request.maxItems());
        return ListAttachedUserPoliciesResponse.builder().attachedPolicies(page.items())
                .isTruncated(page.truncated()).marker(page.marker()).build();
    }

    private void changeUser(Caller caller, String name, String action, Function<User, User> change) {
        update(caller, directory -> {
            User user = directory.user(name).orElseThrow(() -> noSuchUser(name));
            authorize(caller, action, userArn(caller, user));
            return new Change<>(directory.with(change.apply(user)), null);
        });
    }

    // ---- roles ----

    CreateRoleResponse createRole(Caller caller, CreateRoleRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        String path = IamErrors.path("path", request.path());
        String trust = PolicyDocuments.requireTrustPolicy("assumeRolePolicyDocument",
                request.assumeRolePolicyDocument());
        String description = description(request.description());
        int maxSession = maxSessionDuration(request.maxSessionDuration());
        Map<String, String> tags = tags(request.tags());
        authorize(caller, "iam:CreateRole", arn(caller, "role", path, name));
        Role role = update(caller, directory -> {
            if (directory.role(name).isPresent()) {
                throw IamErrors.alreadyExists("Role with name " + name + " already exists.");
            }
            Role created = new Role(name, path, newId("AROA"), now(), trust, description, maxSession,
                    Policies.none(), tags);
            return new Change<>(directory.with(created), created);
        });
        return CreateRoleResponse.builder().role(toRole(caller, role, true)).build();
    }

    GetRoleResponse getRole(Caller caller, GetRoleRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        Role role = read(caller).role(name).orElseThrow(() -> noSuchRole(name));
        authorize(caller, "iam:GetRole", roleArn(caller, role));
        return GetRoleResponse.builder().role(toRole(caller, role, true)).build();
    }

    ListRolesResponse listRoles(Caller caller, ListRolesRequest request) {
        String prefix = IamErrors.pathPrefix(request.pathPrefix());
        authorize(caller, "iam:ListRoles", arn(caller, "role", prefix, "*"));
        List<Role> roles = read(caller).roles().values().stream().filter(r -> r.path().startsWith(prefix)).toList();
        MarkerPage<Role> page = MarkerPage.page(roles, r -> Directory.key(r.name()), request.marker(), request.maxItems());
        return ListRolesResponse.builder().roles(page.items().stream().map(r -> toRole(caller, r, false)).toList())
                .isTruncated(page.truncated()).marker(page.marker()).build();
    }

    DeleteRoleResponse deleteRole(Caller caller, DeleteRoleRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        update(caller, directory -> {
            Role role = directory.role(name).orElseThrow(() -> noSuchRole(name));
            authorize(caller, "iam:DeleteRole", roleArn(caller, role));
            if (directory.instanceProfiles().values().stream()
                    .anyMatch(p -> p.roleNames().stream().anyMatch(r -> r.equalsIgnoreCase(name)))) {
                throw IamErrors.deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
            }
            if (!role.policies().inline().isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete entity, must delete policies first.");
            }
            if (!role.attachedPolicies().isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete entity, must detach all policies first.");
            }
            return new Change<>(directory.withoutRole(name), null);
        });
        return DeleteRoleResponse.builder().build();
    }

    UpdateAssumeRolePolicyResponse updateAssumeRolePolicy(Caller caller, UpdateAssumeRolePolicyRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        String trust = PolicyDocuments.requireTrustPolicy("policyDocument", request.policyDocument());
        changeRole(caller, name, "iam:UpdateAssumeRolePolicy", role -> role.withTrustPolicy(trust));
        return UpdateAssumeRolePolicyResponse.builder().build();
    }

    TagRoleResponse tagRole(Caller caller, TagRoleRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        Map<String, String> added = tags(request.tags());
        changeRole(caller, name, "iam:TagRole", role -> role.withTags(mergeTags(role.tags(), added)));
        return TagRoleResponse.builder().build();
    }

    UntagRoleResponse untagRole(Caller caller, UntagRoleRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        changeRole(caller, name, "iam:UntagRole", role -> role.withTags(withoutTags(role.tags(), request.tagKeys())));
        return UntagRoleResponse.builder().build();
    }

    ListRoleTagsResponse listRoleTags(Caller caller, ListRoleTagsRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        Role role = read(caller).role(name).orElseThrow(() -> noSuchRole(name));
        authorize(caller, "iam:ListRoleTags", roleArn(caller, role));
        MarkerPage<Tag> page = MarkerPage.page(toTags(role.tags()), Tag::key, request.marker(), request.maxItems());
        return ListRoleTagsResponse.builder().tags(page.items()).isTruncated(page.truncated()).marker(page.marker())
                .build();
    }

    PutRolePolicyResponse putRolePolicy(Caller caller, PutRolePolicyRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        String policyName = IamErrors.name("policyName", request.policyName(), 128);
        String document = PolicyDocuments.requireIdentityPolicy("policyDocument", request.policyDocument(),
                PolicyDocument.ROLE_INLINE_SIZE_LIMIT);
        changeRole(caller, name, "iam:PutRolePolicy", role -> role.with(p -> withinInlineQuota(
                p.withInline(policyName, document), PolicyDocument.ROLE_INLINE_SIZE_LIMIT)));
        return PutRolePolicyResponse.builder().build();
    }

    GetRolePolicyResponse getRolePolicy(Caller caller, GetRolePolicyRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        String policyName = IamErrors.name("policyName", request.policyName(), 128);
        Role role = read(caller).role(name).orElseThrow(() -> noSuchRole(name));
        authorize(caller, "iam:GetRolePolicy", roleArn(caller, role));
        String document = role.policies().inlineNamed(policyName).orElseThrow(() ->
                IamErrors.noSuchEntity("The role policy with name " + policyName + " cannot be found."));
        return GetRolePolicyResponse.builder().roleName(role.name())
                .policyName(canonicalInlineName(role.policies(), policyName)).policyDocument(document).build();
    }

    ListRolePoliciesResponse listRolePolicies(Caller caller, ListRolePoliciesRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        Role role = read(caller).role(name).orElseThrow(() -> noSuchRole(name));
        authorize(caller, "iam:ListRolePolicies", roleArn(caller, role));
        MarkerPage<String> page = MarkerPage.page(sortedNames(role.policies()), Directory::key, request.marker(),
                request.maxItems());
        return ListRolePoliciesResponse.builder().policyNames(page.items()).isTruncated(page.truncated())
                .marker(page.marker()).build();
    }

    DeleteRolePolicyResponse deleteRolePolicy(Caller caller, DeleteRolePolicyRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        String policyName = IamErrors.name("policyName", request.policyName(), 128);
        changeRole(caller, name, "iam:DeleteRolePolicy", role -> {
            if (role.policies().inlineNamed(policyName).isEmpty()) {
                throw IamErrors.noSuchEntity("The role policy with name " + policyName + " cannot be found.");
            }
            return role.with(p -> p.withoutInline(policyName));
        });
        return DeleteRolePolicyResponse.builder().build();
    }

    AttachRolePolicyResponse attachRolePolicy(Caller caller, AttachRolePolicyRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        String policyArn = policyArn(request.policyArn());
        update(caller, directory -> {
            Role role = directory.role(name).orElseThrow(() -> noSuchRole(name));
            authorize(caller, "iam:AttachRolePolicy", roleArn(caller, role));
            requireAttachable(caller, directory, policyArn);
            if (!role.attachedPolicies().contains(policyArn) && role.attachedPolicies().size() >= MAX_ATTACHED_POLICIES) {
                throw IamErrors.limitExceeded("PoliciesPerRole", MAX_ATTACHED_POLICIES);
            }
            return new Change<>(directory.with(role.with(p -> p.attach(policyArn))), null);
        });
        return AttachRolePolicyResponse.builder().build();
    }

    DetachRolePolicyResponse detachRolePolicy(Caller caller, DetachRolePolicyRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        String policyArn = policyArn(request.policyArn());
        changeRole(caller, name, "iam:DetachRolePolicy", role -> {
            if (!role.attachedPolicies().contains(policyArn)) {
                throw IamErrors.noSuchEntity("Policy " + policyArn + " was not found.");
            }
            return role.with(p -> p.detach(policyArn));
        });
        return DetachRolePolicyResponse.builder().build();
    }

    ListAttachedRolePoliciesResponse listAttachedRolePolicies(Caller caller, ListAttachedRolePoliciesRequest request) {
        String name = IamErrors.name("roleName", request.roleName(), 64);
        String prefix = IamErrors.pathPrefix(request.pathPrefix());
        Directory directory = read(caller);
        Role role = directory.role(name).orElseThrow(() -> noSuchRole(name));
        authorize(caller, "iam:ListAttachedRolePolicies", roleArn(caller, role));
        MarkerPage<AttachedPolicy> page = attachedPage(caller, directory, role.attachedPolicies(), prefix,
                request.marker(), request.maxItems());
        return ListAttachedRolePoliciesResponse.builder().attachedPolicies(page.items())
                .isTruncated(page.truncated()).marker(page.marker()).build();
    }

    private void changeRole(Caller caller, String name, String action, Function<Role, Role> change) {
        update(caller, directory -> {
            Role role = directory.role(name).orElseThrow(() -> noSuchRole(name));
            authorize(caller, action, roleArn(caller, role));
            return new Change<>(directory.with(change.apply(role)), null);
        });
    }

    // ---- managed policies ----

    CreatePolicyResponse createPolicy(Caller caller, CreatePolicyRequest request) {
        String name = IamErrors.name("policyName", request.policyName(), 128);
        String path = IamErrors.path("path", request.path());
        String document = PolicyDocuments.requireIdentityPolicy("policyDocument", request.policyDocument(),
                PolicyDocument.MANAGED_SIZE_LIMIT);
        String description = description(request.description());
        Map<String, String> tags = tags(request.tags());
        authorize(caller, "iam:CreatePolicy", arn(caller, "policy", path, name));
        ManagedPolicy policy = update(caller, directory -> {
            if (directory.policy(name).isPresent()) {
                throw IamErrors.alreadyExists("A policy called " + name + " already exists. Duplicate names are not allowed.");
            }
            Instant now = now();
            ManagedPolicy created = new ManagedPolicy(name, path, newId("ANPA"), now, now, description, "v1", 1,
                    List.of(new PolicyVersion("v1", document, now)), tags);
            return new Change<>(directory.with(created), created);
        });
        return CreatePolicyResponse.builder().policy(toPolicy(caller, policy, 0, false)).build();
    }

    GetPolicyResponse getPolicy(Caller caller, GetPolicyRequest request) {
        String policyArn = policyArn(request.policyArn());
        authorize(caller, "iam:GetPolicy", policyArn);
        Directory directory = read(caller);
        Optional<AwsManagedPolicies.AwsPolicy> aws = AwsManagedPolicies.byArn(policyArn);
        if (aws.isPresent()) {
            return GetPolicyResponse.builder().policy(toPolicy(caller, aws.get(), directory)).build();
        }
        ManagedPolicy policy = customerPolicy(caller, directory, policyArn);
        return GetPolicyResponse.builder()
                .policy(toPolicy(caller, policy, directory.attachmentCount(policyArn), true)).build();
    }

    ListPoliciesResponse listPolicies(Caller caller, ListPoliciesRequest request) {
        String prefix = IamErrors.pathPrefix(request.pathPrefix());
        String scope = request.scopeAsString() == null ? "All" : request.scopeAsString();
        if (!List.of("All", "AWS", "Local").contains(scope)) {
            throw IamErrors.constraint("scope", scope, "Member must satisfy enum value set: [All, AWS, Local]");
        }
        authorize(caller, "iam:ListPolicies", "*");
        boolean onlyAttached = Boolean.TRUE.equals(request.onlyAttached());
        Directory directory = read(caller);
        List<Policy> policies = new ArrayList<>();
        if (!"Local".equals(scope)) {
            AwsManagedPolicies.ALL.forEach(p -> policies.add(toPolicy(caller, p, directory)));
        }
        if (!"AWS".equals(scope)) {
            directory.policies().values().forEach(p -> policies.add(
                    toPolicy(caller, p, directory.attachmentCount(policyArn(caller, p)), false)));
        }
        List<Policy> matching = policies.stream()
                .filter(p -> p.path().startsWith(prefix))
                .filter(p -> !onlyAttached || p.attachmentCount() > 0)
                .sorted(Comparator.comparing(Policy::arn))
                .toList();
        MarkerPage<Policy> page = MarkerPage.page(matching, Policy::arn, request.marker(), request.maxItems());
        return ListPoliciesResponse.builder().policies(page.items()).isTruncated(page.truncated())
                .marker(page.marker()).build();
    }

    DeletePolicyResponse deletePolicy(Caller caller, DeletePolicyRequest request) {
        String policyArn = policyArn(request.policyArn());
        authorize(caller, "iam:DeletePolicy", policyArn);
        update(caller, directory -> {
            ManagedPolicy policy = customerPolicy(caller, directory, policyArn);
            if (directory.attachmentCount(policyArn) > 0) {
                throw IamErrors.deleteConflict("Cannot delete a policy attached to entities.");
            }
            if (policy.versions().size() > 1) {
                throw IamErrors.deleteConflict("This policy has more than one version. Before you delete a policy, "
                        + "you must delete the policy's versions. The default version is deleted with the policy.");
            }
            return new Change<>(directory.withoutPolicy(policy.name()), null);
        });
        return DeletePolicyResponse.builder().build();
    }

    CreatePolicyVersionResponse createPolicyVersion(Caller caller, CreatePolicyVersionRequest request) {
        String policyArn = policyArn(request.policyArn());
        String document = PolicyDocuments.requireIdentityPolicy("policyDocument", request.policyDocument(),
                PolicyDocument.MANAGED_SIZE_LIMIT);
        authorize(caller, "iam:CreatePolicyVersion", policyArn);
        boolean makeDefault = Boolean.TRUE.equals(request.setAsDefault());
        PolicyVersion version = update(caller, directory -> {
            ManagedPolicy policy = customerPolicy(caller, directory, policyArn);
            if (policy.versions().size() >= MAX_POLICY_VERSIONS) {
                throw new EcsException("LimitExceeded", 409, "A managed policy can have up to "
                        + MAX_POLICY_VERSIONS + " versions. Before you create a new version, you must delete an "
                        + "existing version.");
            }
            int number = policy.lastVersionNumber() + 1;
            Instant now = now();
            PolicyVersion created = new PolicyVersion("v" + number, document, now);
            List<PolicyVersion> versions = new ArrayList<>(policy.versions());
            versions.add(created);
            ManagedPolicy changed = new ManagedPolicy(policy.name(), policy.path(), policy.id(), policy.created(), now,
                    policy.description(), makeDefault ? created.versionId() : policy.defaultVersionId(), number,
                    versions, policy.tags());
            return new Change<>(directory.with(changed), created);
        });
        return CreatePolicyVersionResponse.builder().policyVersion(v -> v.versionId(version.versionId())
                .isDefaultVersion(makeDefault).createDate(version.created())).build();
    }

    GetPolicyVersionResponse getPolicyVersion(Caller caller, GetPolicyVersionRequest request) {
        String policyArn = policyArn(request.policyArn());
        String versionId = IamErrors.required("versionId", request.versionId());
        authorize(caller, "iam:GetPolicyVersion", policyArn);
        Optional<AwsManagedPolicies.AwsPolicy> aws = AwsManagedPolicies.byArn(policyArn);
        if (aws.isPresent()) {
            if (!"v1".equals(versionId)) {
                throw noSuchVersion(policyArn, versionId);
            }
            return GetPolicyVersionResponse.builder().policyVersion(v -> v.versionId("v1").isDefaultVersion(true)
                    .document(aws.get().document()).createDate(aws.get().created())).build();
        }
        ManagedPolicy policy = customerPolicy(caller, read(caller), policyArn);
        PolicyVersion version = policy.version(versionId).orElseThrow(() -> noSuchVersion(policyArn, versionId));
        return GetPolicyVersionResponse.builder().policyVersion(v -> v.versionId(version.versionId())
                .isDefaultVersion(version.versionId().equals(policy.defaultVersionId())).document(version.document())
                .createDate(version.created())).build();
    }

    ListPolicyVersionsResponse listPolicyVersions(Caller caller, ListPolicyVersionsRequest request) {
        String policyArn = policyArn(request.policyArn());
        authorize(caller, "iam:ListPolicyVersions", policyArn);
        List<software.amazon.awssdk.services.iam.model.PolicyVersion> versions;
        Optional<AwsManagedPolicies.AwsPolicy> aws = AwsManagedPolicies.byArn(policyArn);
        if (aws.isPresent()) {
            versions = List.of(software.amazon.awssdk.services.iam.model.PolicyVersion.builder().versionId("v1")
                    .isDefaultVersion(true).createDate(aws.get().created()).build());
        } else {
            ManagedPolicy policy = customerPolicy(caller, read(caller), policyArn);
            versions = policy.versions().reversed().stream()
                    .map(v -> software.amazon.awssdk.services.iam.model.PolicyVersion.builder()
                            .versionId(v.versionId()).isDefaultVersion(v.versionId().equals(policy.defaultVersionId()))
                            .createDate(v.created()).build())
                    .toList();
        }
        MarkerPage<software.amazon.awssdk.services.iam.model.PolicyVersion> page = MarkerPage.page(versions,
                v -> String.format(Locale.ROOT, "%010d", Integer.MAX_VALUE - Integer.parseInt(v.versionId().substring(1))),
                request.marker(), request.maxItems());
        return ListPolicyVersionsResponse.builder().versions(page.items()).isTruncated(page.truncated())
                .marker(page.marker()).build();
    }

    DeletePolicyVersionResponse deletePolicyVersion(Caller caller, DeletePolicyVersionRequest request) {
        String policyArn = policyArn(request.policyArn());
        String versionId = IamErrors.required("versionId", request.versionId());
        authorize(caller, "iam:DeletePolicyVersion", policyArn);
        update(caller, directory -> {
            ManagedPolicy policy = customerPolicy(caller, directory, policyArn);
            policy.version(versionId).orElseThrow(() -> noSuchVersion(policyArn, versionId));
            if (versionId.equals(policy.defaultVersionId())) {
                throw IamErrors.deleteConflict("Cannot delete the default version of a policy.");
            }
            ManagedPolicy changed = new ManagedPolicy(policy.name(), policy.path(), policy.id(), policy.created(),
                    policy.updated(), policy.description(), policy.defaultVersionId(), policy.lastVersionNumber(),
                    policy.versions().stream().filter(v -> !v.versionId().equals(versionId)).toList(), policy.tags());
            return new Change<>(directory.with(changed), null);
        });
        return DeletePolicyVersionResponse.builder().build();
    }

    SetDefaultPolicyVersionResponse setDefaultPolicyVersion(Caller caller, SetDefaultPolicyVersionRequest request) {
        String policyArn = policyArn(request.policyArn());
        String versionId = IamErrors.required("versionId", request.versionId());
        authorize(caller, "iam:SetDefaultPolicyVersion", policyArn);
        update(caller, directory -> {
            ManagedPolicy policy = customerPolicy(caller, directory, policyArn);
            policy.version(versionId).orElseThrow(() -> noSuchVersion(policyArn, versionId));
            ManagedPolicy changed = new ManagedPolicy(policy.name(), policy.path(), policy.id(), policy.created(),
                    now(), policy.description(), versionId, policy.lastVersionNumber(), policy.versions(),
                    policy.tags());
            return new Change<>(directory.with(changed), null);
        });
        return SetDefaultPolicyVersionResponse.builder().build();
    }

    private static EcsException noSuchVersion(String policyArn, String versionId) {
        return IamErrors.noSuchEntity("Policy " + policyArn + " version " + versionId
                + " does not exist or is not attachable.");
    }

    /** A customer managed policy of the caller's account by ARN, or NoSuchEntity. */
    private ManagedPolicy customerPolicy(Caller caller, Directory directory, String policyArn) {
        if (AwsManagedPolicies.byArn(policyArn).isPresent()) {
            throw IamErrors.invalidInput("Policy " + policyArn + " is an AWS managed policy and cannot be changed.");
        }
        return directory.policies().values().stream().filter(p -> policyArn(caller, p).equals(policyArn)).findFirst()
                .orElseThrow(() -> noSuchPolicy(policyArn));
    }

    private void requireAttachable(Caller caller, Directory directory, String policyArn) {
        if (AwsManagedPolicies.byArn(policyArn).isEmpty()
                && directory.policies().values().stream().noneMatch(p -> policyArn(caller, p).equals(policyArn))) {
            throw noSuchPolicy(policyArn);
        }
    }

    private MarkerPage<AttachedPolicy> attachedPage(Caller caller, Directory directory, List<String> arns, String prefix,
            String marker, Integer maxItems) {
        List<AttachedPolicy> attached = new ArrayList<>();
        for (String arn : arns) {
            Optional<AwsManagedPolicies.AwsPolicy> aws = AwsManagedPolicies.byArn(arn);
            if (aws.isPresent() && aws.get().path().startsWith(prefix)) {
                attached.add(AttachedPolicy.builder().policyName(aws.get().name()).policyArn(arn).build());
            }
            directory.policies().values().stream()
                    .filter(p -> policyArn(caller, p).equals(arn) && p.path().startsWith(prefix))
                    .forEach(p -> attached.add(AttachedPolicy.builder().policyName(p.name()).policyArn(arn).build()));
        }
        return MarkerPage.page(attached.stream().sorted(Comparator.comparing(AttachedPolicy::policyArn)).toList(),
                AttachedPolicy::policyArn, marker, maxItems);
    }

    /** A policy ARN as given: required and shaped like an ARN. */
    private static String policyArn(String value) {
        IamErrors.required("policyArn", value);
        if (value.length() < 20 || !value.startsWith("arn:") || value.split(":", 6).length < 6) {
            throw IamErrors.invalidInput("ARN " + value + " is not valid.");
        }
        return value;
    }

    // ---- instance profiles ----

    CreateInstanceProfileResponse createInstanceProfile(Caller caller, CreateInstanceProfileRequest request) {
        String name = IamErrors.name("instanceProfileName", request.instanceProfileName(), 128);
        String path = IamErrors.path("path", request.path());
        Map<String, String> tags = tags(request.tags());
        authorize(caller, "iam:CreateInstanceProfile", arn(caller, "instance-profile", path, name));
        InstanceProfile profile = update(caller, directory -> {
            if (directory.instanceProfile(name).isPresent()) {
                throw IamErrors.alreadyExists("Instance Profile " + name + " already exists.");
            }
            InstanceProfile created = new InstanceProfile(name, path, newId("AIPA"), now(), List.of(), tags);
            return new Change<>(directory.with(created), created);
        });
        return CreateInstanceProfileResponse.builder().instanceProfile(toInstanceProfile(caller, read(caller), profile))
                .build();
    }

    GetInstanceProfileResponse getInstanceProfile(Caller caller, GetInstanceProfileRequest request) {
        String name = IamErrors.name("instanceProfileName", request.instanceProfileName(), 128);
        Directory directory = read(caller);
        InstanceProfile profile = directory.instanceProfile(name).orElseThrow(() -> noSuchInstanceProfile(name));
        authorize(caller, "iam:GetInstanceProfile", instanceProfileArn(caller, profile));
        return GetInstanceProfileResponse.builder().instanceProfile(toInstanceProfile(caller, directory, profile))
                .build();
    }

    ListInstanceProfilesResponse listInstanceProfiles(Caller caller, ListInstanceProfilesRequest request) {
        String prefix = IamErrors.pathPrefix(request.pathPrefix());
        authorize(caller, "iam:ListInstanceProfiles", arn(caller, "instance-profile", prefix, "*"));
        Directory directory = read(caller);
        List<InstanceProfile> profiles = directory.instanceProfiles().values().stream()
                .filter(p -> p.path().startsWith(prefix)).toList();
        MarkerPage<InstanceProfile> page = MarkerPage.page(profiles, p -> Directory.key(p.name()), request.marker(),
                request.maxItems());
        return ListInstanceProfilesResponse.builder()
                .instanceProfiles(page.items().stream().map(p -> toInstanceProfile(caller, directory, p)).toList())
                .isTruncated(page.truncated()).marker(page.marker()).build();
    }

    DeleteInstanceProfileResponse deleteInstanceProfile(Caller caller, DeleteInstanceProfileRequest request) {
        String name = IamErrors.name("instanceProfileName", request.instanceProfileName(), 128);
        update(caller, directory -> {
            InstanceProfile profile = directory.instanceProfile(name).orElseThrow(() -> noSuchInstanceProfile(name));
            authorize(caller, "iam:DeleteInstanceProfile", instanceProfileArn(caller, profile));
            if (!profile.roleNames().isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
            }
            return new Change<>(directory.withoutInstanceProfile(name), null);
        });
        return DeleteInstanceProfileResponse.builder().build();
    }

    AddRoleToInstanceProfileResponse addRoleToInstanceProfile(Caller caller, AddRoleToInstanceProfileRequest request) {
        String name = IamErrors.name("instanceProfileName", request.instanceProfileName(), 128);
        String roleName = IamErrors.name("roleName", request.roleName(), 64);
        update(caller, directory -> {
            InstanceProfile profile = directory.instanceProfile(name).orElseThrow(() -> noSuchInstanceProfile(name));
            authorize(caller, "iam:AddRoleToInstanceProfile", instanceProfileArn(caller, profile));
            Role role = directory.role(roleName).orElseThrow(() -> noSuchRole(roleName));
            if (!profile.roleNames().isEmpty()) {
                throw IamErrors.limitExceeded("InstanceSessionsPerInstanceProfile", 1);
            }
            return new Change<>(directory.with(profile.withRoles(List.of(role.name()))), null);
        });
        return AddRoleToInstanceProfileResponse.builder().build();
    }

    RemoveRoleFromInstanceProfileResponse removeRoleFromInstanceProfile(Caller caller,
            RemoveRoleFromInstanceProfileRequest request) {
        String name = IamErrors.name("instanceProfileName", request.instanceProfileName(), 128);
        String roleName = IamErrors.name("roleName", request.roleName(), 64);
        update(caller, directory -> {
            InstanceProfile profile = directory.instanceProfile(name).orElseThrow(() -> noSuchInstanceProfile(name));
            authorize(caller, "iam:RemoveRoleFromInstanceProfile", instanceProfileArn(caller, profile));
            if (profile.roleNames().stream().noneMatch(r -> r.equalsIgnoreCase(roleName))) {
                throw noSuchRole(roleName);
            }
            return new Change<>(directory.with(profile.withRoles(profile.roleNames().stream()
                    .filter(r -> !r.equalsIgnoreCase(roleName)).toList())), null);
        });
        return RemoveRoleFromInstanceProfileResponse.builder().build();
    }

    ListInstanceProfilesForRoleResponse listInstanceProfilesForRole(Caller caller,
            ListInstanceProfilesForRoleRequest request) {
        String roleName = IamErrors.name("roleName", request.roleName(), 64);
        Directory directory = read(caller);
        Role role = directory.role(roleName).orElseThrow(() -> noSuchRole(roleName));
        authorize(caller, "iam:ListInstanceProfilesForRole", roleArn(caller, role));
        List<InstanceProfile> profiles = directory.instanceProfiles().values().stream()
                .filter(p -> p.roleNames().stream().anyMatch(r -> r.equalsIgnoreCase(roleName))).toList();
        MarkerPage<InstanceProfile> page = MarkerPage.page(profiles, p -> Directory.key(p.name()), request.marker(),
                request.maxItems());
        return ListInstanceProfilesForRoleResponse.builder()
                .instanceProfiles(page.items().stream().map(p -> toInstanceProfile(caller, directory, p)).toList())
                .isTruncated(page.truncated()).marker(page.marker()).build();
    }

    // ---- shapes ----

    private software.amazon.awssdk.services.iam.model.User toUser(Caller caller, User user, boolean withTags) {
        return software.amazon.awssdk.services.iam.model.User.builder().path(user.path()).userName(user.name())
                .userId(user.id()).arn(userArn(caller, user)).createDate(user.created())
                .tags(withTags && !user.tags().isEmpty() ? toTags(user.tags()) : null).build();
    }

    private software.amazon.awssdk.services.iam.model.Role toRole(Caller caller, Role role, boolean withTags) {
        return software.amazon.awssdk.services.iam.model.Role.builder().path(role.path()).roleName(role.name())
                .roleId(role.id()).arn(roleArn(caller, role)).createDate(role.created())
                .assumeRolePolicyDocument(role.trustPolicy()).description(role.description())
                .maxSessionDuration(role.maxSessionDuration())
                .tags(withTags && !role.tags().isEmpty() ? toTags(role.tags()) : null).build();
    }

    private Policy toPolicy(Caller caller, ManagedPolicy policy, int attachments, boolean withDescription) {
        return Policy.builder().policyName(policy.name()).policyId(policy.id()).arn(policyArn(caller, policy))
                .path(policy.path()).defaultVersionId(policy.defaultVersionId()).attachmentCount(attachments)
                .permissionsBoundaryUsageCount(0).isAttachable(true)
                .description(withDescription ? policy.description() : null)
                .createDate(policy.created()).updateDate(policy.updated())
                .tags(withDescription && !policy.tags().isEmpty() ? toTags(policy.tags()) : null).build();
    }

    private Policy toPolicy(Caller caller, AwsManagedPolicies.AwsPolicy policy, Directory directory) {
        String arn = policy.arn(caller.scope().partition());
        return Policy.builder().policyName(policy.name()).policyId(policy.id()).arn(arn).path(policy.path())
                .defaultVersionId("v1").attachmentCount(directory.attachmentCount(arn))
                .permissionsBoundaryUsageCount(0).isAttachable(true).createDate(policy.created())
                .updateDate(policy.created()).build();
    }

    private software.amazon.awssdk.services.iam.model.InstanceProfile toInstanceProfile(Caller caller,
            Directory directory, InstanceProfile profile) {
        List<software.amazon.awssdk.services.iam.model.Role> roles = profile.roleNames().stream()
                .flatMap(r -> directory.role(r).stream()).map(r -> toRole(caller, r, false)).toList();
        return software.amazon.awssdk.services.iam.model.InstanceProfile.builder().path(profile.path())
                .instanceProfileName(profile.name()).instanceProfileId(profile.id())
                .arn(instanceProfileArn(caller, profile)).createDate(profile.created()).roles(roles)
                .tags(profile.tags().isEmpty() ? null : toTags(profile.tags())).build();
    }

    private static List<Tag> toTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    // ---- helpers ----

    /** The inline policies of one user or role count against one size quota together. */
    private static Policies withinInlineQuota(Policies policies, int quota) {
        int size = policies.inline().values().stream().mapToInt(PolicyDocument::size).sum();
        if (size > quota) {
            throw PolicyDocuments.policySizeExceeded(quota);
        }
        return policies;
    }

    private static String canonicalInlineName(Policies policies, String name) {
        return policies.inline().keySet().stream().filter(k -> k.equalsIgnoreCase(name)).findFirst().orElse(name);
    }

    private static List<String> sortedNames(Policies policies) {
        return policies.inline().keySet().stream().sorted(Comparator.comparing(Directory::key)).toList();
    }

    private static String description(String description) {
        if (description != null && description.length() > 1000) {
            throw IamErrors.constraint("description", description, "Member must have length less than or equal to 1000");
        }
        return description;
    }

    private static int maxSessionDuration(Integer seconds) {
        if (seconds == null) {
            return 3600;
        }
        if (seconds < 3600 || seconds > 43200) {
            throw IamErrors.constraint("maxSessionDuration", seconds, seconds < 3600
                    ? "Member must have value greater than or equal to 3600"
                    : "Member must have value less than or equal to 43200");
        }
        return seconds;
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> byKey = new LinkedHashMap<>();
        if (tags == null) {
            return byKey;
        }
        if (tags.size() > MAX_TAGS) {
            throw IamErrors.constraint("tags", "[...]", "Member must have length less than or equal to " + MAX_TAGS);
        }
        for (Tag tag : tags) {
            String key = IamErrors.required("tags.member.key", tag.key());
            String value = IamErrors.required("tags.member.value", tag.value());
            if (key.isEmpty() || key.length() > 128) {
                throw IamErrors.constraint("tags.member.key", key, "Member must have length between 1 and 128");
            }
            if (value.length() > 256) {
                throw IamErrors.constraint("tags.member.value", value, "Member must have length less than or equal to 256");
            }
            if (byKey.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(key))) {
                throw IamErrors.invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            }
            byKey.put(key, value);
        }
        return byKey;
    }

    private static Map<String, String> mergeTags(Map<String, String> current, Map<String, String> added) {
        Map<String, String> merged = new LinkedHashMap<>(current);
        added.forEach((key, value) -> {
            merged.keySet().removeIf(k -> k.equalsIgnoreCase(key));
            merged.put(key, value);
        });
        if (merged.size() > MAX_TAGS) {
            throw IamErrors.limitExceeded("TagsPerEntity", MAX_TAGS);
        }
        return merged;
    }

    private static Map<String, String> withoutTags(Map<String, String> current, List<String> keys) {
        Map<String, String> remaining = new LinkedHashMap<>(current);
        for (String key : keys) {
            remaining.keySet().removeIf(k -> k.equalsIgnoreCase(key));
        }
        return remaining;
    }

    private void authorize(Caller caller, String action, String resource) {
        if (Principals.isRoot(caller.principalArn())) {
            return;
        }
        Decision decision = authorizer.decide(caller, new AccessRequest(action, resource));
        if (!decision.allowed()) {
            throw IamErrors.accessDenied(caller.principalArn(), action, resource,
                    decision == Decision.EXPLICIT_DENY);
        }
    }

    private Directory read(Caller caller) {
        return directories.read(caller.scope().account());
    }

    private <R> R update(Caller caller, Function<Directory, Change<R>> work) {
        return directories.update(caller.scope().account(), work);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private String newId(String prefix) {
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < 17; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static String arn(Caller caller, String type, String path, String name) {
        return Principals.arn(caller.scope().partition(), caller.scope().account(), type, path, name);
    }

    static String userArn(Caller caller, User user) {
        return arn(caller, "user", user.path(), user.name());
    }

    static String roleArn(Caller caller, Role role) {
        return arn(caller, "role", role.path(), role.name());
    }

    static String policyArn(Caller caller, ManagedPolicy policy) {
        return arn(caller, "policy", policy.path(), policy.name());
    }

    private static String instanceProfileArn(Caller caller, InstanceProfile profile) {
        return arn(caller, "instance-profile", profile.path(), profile.name());
    }

    private static EcsException noSuchUser(String name) {
        return IamErrors.noSuchEntity("The user with name " + name + " cannot be found.");
    }

    static EcsException noSuchRole(String name) {
        return IamErrors.noSuchEntity("The role with name " + name + " cannot be found.");
    }

    private static EcsException noSuchPolicy(String arn) {
        return IamErrors.noSuchEntity("Policy " + arn + " does not exist or is not attachable.");
    }

    private static EcsException noSuchInstanceProfile(String name) {
        return IamErrors.noSuchEntity("Instance Profile " + name + " cannot be found.");
    }
}
