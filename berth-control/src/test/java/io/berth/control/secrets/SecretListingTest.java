package io.berth.control.secrets;

import static io.berth.control.secrets.SecretsManagerTest.fails;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsRequest;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SortOrderType;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/** ListSecrets with its filters, order and pages; GetRandomPassword with its options. */
class SecretListingTest {

    private final SecretsWorld world = new SecretsWorld();

    @AfterEach
    void close() {
        world.close();
    }

    private List<String> list(ListSecretsRequest.Builder request) {
        ListSecretsResponse listed = world.call("ListSecrets", request.build());
        return listed.secretList().stream().map(SecretListEntry::name).toList();
    }

    private static Filter filter(FilterNameStringType key, String... values) {
        return Filter.builder().key(key).values(values).build();
    }

    private void secret(String name, String description, String tagKey, String tagValue) {
        world.call("CreateSecret", CreateSecretRequest.builder().name(name).description(description).secretString("v")
                .tags(Tag.builder().key(tagKey).value(tagValue).build()).build());
        world.clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void filtersMatchPrefixesAndNegations() {
        secret("prod/db", "Database password", "team", "blue");
        secret("prod/api", "API key", "team", "red");
        secret("dev/db", "database for dev", "owner", "me");

        assertThat(list(ListSecretsRequest.builder().filters(filter(FilterNameStringType.NAME, "prod/"))))
                .containsExactly("prod/db", "prod/api");
        assertThat(list(ListSecretsRequest.builder().filters(filter(FilterNameStringType.NAME, "!prod/"))))
                .containsExactly("dev/db");
        assertThat(list(ListSecretsRequest.builder().filters(filter(FilterNameStringType.DESCRIPTION, "DATABASE"))))
                .containsExactly("prod/db", "dev/db");
        assertThat(list(ListSecretsRequest.builder().filters(filter(FilterNameStringType.TAG_KEY, "team"),
                filter(FilterNameStringType.TAG_VALUE, "re")))).containsExactly("prod/api");
        assertThat(list(ListSecretsRequest.builder().filters(filter(FilterNameStringType.ALL, "me"))))
                .containsExactly("dev/db");
        fails(() -> list(ListSecretsRequest.builder().filters(Filter.builder().key("colour").values("x").build())),
                "ValidationException");
        fails(() -> list(ListSecretsRequest.builder().filters(filter(FilterNameStringType.NAME, "bad*char"))),
                "ValidationException");
    }

    @Test
    void pagesFollowCreationOrderEitherWay() {
        for (int i = 0; i < 7; i++) {
            secret("s" + i, "d", "k", "v");
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            ListSecretsResponse page = world.call("ListSecrets", ListSecretsRequest.builder().maxResults(3)
                    .nextToken(token).build());
            page.secretList().forEach(s -> seen.add(s.name()));
            token = page.nextToken();
        } while (token != null);

        assertThat(seen).containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6");
        assertThat(list(ListSecretsRequest.builder().sortOrder(SortOrderType.DESC).maxResults(2)))
                .containsExactly("s6", "s5");
        fails(() -> list(ListSecretsRequest.builder().maxResults(101)), "ValidationException");
        fails(() -> list(ListSecretsRequest.builder().nextToken("%%%")), "InvalidNextTokenException");
    }

    @Test
    void secretsPlannedForDeletionAreListedOnlyWhenAsked() {
        secret("kept", "d", "k", "v");
        secret("deleted", "d", "k", "v");
        world.call("DeleteSecret", DeleteSecretRequest.builder().secretId("deleted").build());

        assertThat(list(ListSecretsRequest.builder())).containsExactly("kept");
        assertThat(list(ListSecretsRequest.builder().includePlannedDeletion(true))).containsExactly("kept", "deleted");
    }

    @Test
    void aRandomPasswordHasTheAskedLengthAndCharacterClasses() {
        GetRandomPasswordResponse standard = world.call("GetRandomPassword", GetRandomPasswordRequest.builder().build());
        GetRandomPasswordResponse digits = world.call("GetRandomPassword", GetRandomPasswordRequest.builder()
                .passwordLength(12L).excludeLowercase(true).excludeUppercase(true).excludePunctuation(true).build());
        GetRandomPasswordResponse excluded = world.call("GetRandomPassword", GetRandomPasswordRequest.builder()
                .passwordLength(200L).excludeCharacters("abcABC012!").build());

        assertThat(standard.randomPassword()).hasSize(32).matches(".*[a-z].*").matches(".*[A-Z].*")
                .matches(".*[0-9].*").matches(".*[^a-zA-Z0-9].*");
        assertThat(digits.randomPassword()).matches("[0-9]{12}");
        assertThat(excluded.randomPassword()).hasSize(200).doesNotContainPattern("[abcABC012!]");
        fails(() -> world.call("GetRandomPassword", GetRandomPasswordRequest.builder().passwordLength(0L).build()),
                "ValidationException");
        fails(() -> world.call("GetRandomPassword", GetRandomPasswordRequest.builder().passwordLength(3L).build()),
                "InvalidParameterException");
        fails(() -> world.call("GetRandomPassword", GetRandomPasswordRequest.builder().excludeLowercase(true)
                .excludeUppercase(true).excludeNumbers(true).excludePunctuation(true).build()),
                "InvalidParameterException");
    }
}
