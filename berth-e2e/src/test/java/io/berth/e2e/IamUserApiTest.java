package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;

/** IAM users and their access keys through the real SDK {@code IamClient}. */
class IamUserApiTest extends ApiTest {

    static final String ECS_READ = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"ecs:Describe*\",\"ecs:List*\"],\"Resource\":\"*\"}]}";
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

    @Test
    void aCreatedUserHasAnIamIdArnWithItsPathAndCanBeRead() {
        String name = unique("alice");

        User created = iam.createUser(r -> r.userName(name).path("/ops/").tags(Tag.builder().key("team").value("a").build()))
                .user();
        User read = iam.getUser(r -> r.userName(name.toUpperCase())).user();

        assertThat(created.userId()).matches("AIDA[A-Z2-7]{17}");
        assertThat(created.arn()).isEqualTo("arn:aws:iam::" + berth.accountId() + ":user/ops/" + name);
        assertThat(created.createDate()).isNotNull();
        assertThat(read).isEqualTo(created);
        assertThat(read.tags()).containsExactly(Tag.builder().key("team").value("a").build());
    }

    @Test
    void aSecondUserWithTheSameNameInAnyCaseAlreadyExists() {
        String name = unique("bob");
        iam.createUser(r -> r.userName(name));

        assertThatThrownBy(() -> iam.createUser(r -> r.userName(name.toUpperCase())))
                .isInstanceOfSatisfying(EntityAlreadyExistsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("EntityAlreadyExists");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("User with name " + name.toUpperCase() + " already exists.");
                });
    }

    @Test
    void aNameOutsideIamsCharactersIsAValidationError() {
        assertThatThrownBy(() -> iam.createUser(r -> r.userName("no spaces")))
                .isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("at 'userName' failed to satisfy constraint");
                });
    }

    @Test
    void anUnknownUserIsNoSuchEntity() {
        assertThatThrownBy(() -> iam.getUser(r -> r.userName("nobody-at-all")))
                .isInstanceOfSatisfying(NoSuchEntityException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The user with name nobody-at-all cannot be found.");
                });
        assertThatThrownBy(() -> iam.deleteUser(r -> r.userName("nobody-at-all"))).isInstanceOf(NoSuchEntityException.class);
        assertThatThrownBy(() -> iam.createAccessKey(r -> r.userName("nobody-at-all"))).isInstanceOf(NoSuchEntityException.class);
    }

    @Test
    void getUserWithoutANameDescribesTheRootCaller() {
        User root = iam.getUser().user();

        assertThat(root.arn()).isEqualTo("arn:aws:iam::" + berth.accountId() + ":root");
        assertThat(root.userId()).isEqualTo(berth.accountId());
    }

    @Test
    void listUsersPagesWithMarkerAndFiltersByPath() {
        String prefix = "/paged-" + names.incrementAndGet() + "/";
        for (String name : new String[] {"carol", "dave", "erin"}) {
            iam.createUser(r -> r.userName(unique(name)).path(prefix));
        }

        ListUsersResponse first = iam.listUsers(r -> r.pathPrefix(prefix).maxItems(2));
        ListUsersResponse rest = iam.listUsers(r -> r.pathPrefix(prefix).maxItems(2).marker(first.marker()));

        assertThat(first.users()).hasSize(2);
        assertThat(first.isTruncated()).isTrue();
        assertThat(rest.users()).hasSize(1);
        assertThat(rest.isTruncated()).isFalse();
        assertThat(rest.marker()).isNull();
        assertThat(iam.listUsersPaginator(r -> r.pathPrefix(prefix).maxItems(1)).users()).hasSize(3);
    }

    @Test
    void aUsersAccessKeySignsEcsCallsAndStopsWhenInactiveOrDeleted() {
        String name = unique("keyholder");
        iam.createUser(r -> r.userName(name));

        AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();

        assertThat(key.accessKeyId()).matches("AKIA[A-Z2-7]{16}");
        assertThat(key.secretAccessKey()).hasSize(40);
        assertThat(key.status()).isEqualTo(StatusType.ACTIVE);
        assertThat(iam.listAccessKeys(r -> r.userName(name)).accessKeyMetadata())
                .extracting(AccessKeyMetadata::accessKeyId, AccessKeyMetadata::userName, AccessKeyMetadata::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(key.accessKeyId(), name, StatusType.ACTIVE));
        try (EcsClient asUser = berth.ecs(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
                IamClient iamAsUser = berth.iam(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            assertThatThrownBy(asUser::listClusters).isInstanceOfSatisfying(
                    software.amazon.awssdk.services.ecs.model.EcsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
            iam.putUserPolicy(r -> r.userName(name).policyName("read").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Action\":[\"ecs:ListClusters\",\"iam:GetUser\"],\"Resource\":\"*\"}]}"));
            assertThat(asUser.listClusters().clusterArns()).isNotNull();
            assertThat(iamAsUser.getUser().user().userName()).isEqualTo(name);

            iam.updateAccessKey(r -> r.userName(name).accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE));
            assertThat(iam.listAccessKeys(r -> r.userName(name)).accessKeyMetadata().get(0).status())
                    .isEqualTo(StatusType.INACTIVE);
            assertThatThrownBy(asUser::listClusters).isInstanceOfSatisfying(
                    software.amazon.awssdk.services.ecs.model.EcsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
            assertThatThrownBy(iamAsUser::getUser).isInstanceOfSatisfying(IamException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
            });
        }
        iam.deleteAccessKey(r -> r.userName(name).accessKeyId(key.accessKeyId()));
        assertThat(iam.listAccessKeys(r -> r.userName(name)).accessKeyMetadata()).isEmpty();
        iam.deleteUserPolicy(r -> r.userName(name).policyName("read"));
    }

    @Test
    void aUserHasAtMostTwoKeys() {
        String name = unique("twokeys");
        iam.createUser(r -> r.userName(name));
        iam.createAccessKey(r -> r.userName(name));
        iam.createAccessKey(r -> r.userName(name));

        assertThatThrownBy(() -> iam.createAccessKey(r -> r.userName(name)))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Cannot exceed quota for AccessKeysPerUser: 2");
                });
    }

    @Test
    void aKeyOfAnotherUserCannotBeChangedThroughThisOne() {
        String owner = unique("owner");
        String other = unique("other");
        iam.createUser(r -> r.userName(owner));
        iam.createUser(r -> r.userName(other));
        String keyId = iam.createAccessKey(r -> r.userName(owner)).accessKey().accessKeyId();

        assertThatThrownBy(() -> iam.deleteAccessKey(r -> r.userName(other).accessKeyId(keyId)))
                .isInstanceOfSatisfying(NoSuchEntityException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("The Access Key with id " + keyId + " cannot be found."));
        assertThatThrownBy(() -> iam.updateAccessKey(r -> r.userName(other).accessKeyId(keyId).status(StatusType.INACTIVE)))
                .isInstanceOf(NoSuchEntityException.class);
    }

    @Test
    void aUserWithKeysOrPoliciesCannotBeDeletedUntilTheyAreGone() {
        String name = unique("conflicted");
        iam.createUser(r -> r.userName(name));
        String keyId = iam.createAccessKey(r -> r.userName(name)).accessKey().accessKeyId();
        iam.putUserPolicy(r -> r.userName(name).policyName("inline").policyDocument(ECS_READ));
        iam.attachUserPolicy(r -> r.userName(name).policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));

        assertThatThrownBy(() -> iam.deleteUser(r -> r.userName(name)))
                .isInstanceOfSatisfying(DeleteConflictException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Cannot delete entity, must delete access keys first."));
        iam.deleteAccessKey(r -> r.userName(name).accessKeyId(keyId));
        assertThatThrownBy(() -> iam.deleteUser(r -> r.userName(name)))
                .isInstanceOfSatisfying(DeleteConflictException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Cannot delete entity, must delete policies first."));
        iam.deleteUserPolicy(r -> r.userName(name).policyName("inline"));
        assertThatThrownBy(() -> iam.deleteUser(r -> r.userName(name)))
                .isInstanceOfSatisfying(DeleteConflictException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Cannot delete entity, must detach all policies first."));
        iam.detachUserPolicy(r -> r.userName(name).policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));

        iam.deleteUser(r -> r.userName(name));
        assertThatThrownBy(() -> iam.getUser(r -> r.userName(name))).isInstanceOf(NoSuchEntityException.class);
    }
}
