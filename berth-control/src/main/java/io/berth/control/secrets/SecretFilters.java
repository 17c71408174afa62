package io.berth.control.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;

/**
 * The filters of ListSecrets, as Secrets Manager matches them: a value is a prefix of the
 * attribute (names, tag keys and values case-sensitively, descriptions and {@code all} not), a
 * leading {@code !} negates it; the values of one filter are alternatives, all filters must hold.
 */
final class SecretFilters {

    private static final Pattern VALUE = Pattern.compile("[a-zA-Z0-9 :_@/+=.\\-!]+");

    private SecretFilters() {
    }

    static List<Filter> check(List<Filter> filters) {
        List<Filter> checked = new ArrayList<>();
        for (Filter filter : filters) {
            if (filter.key() == null || filter.key() == FilterNameStringType.UNKNOWN_TO_SDK_VERSION) {
                throw SecretsErrors.constraint("filters.member.key", filter.keyAsString(),
                        "Member must satisfy enum value set: " + FilterNameStringType.knownValues());
            }
            List<String> values = filter.hasValues() ? filter.values() : List.of();
            if (values.isEmpty() || values.size() > 10) {
                throw SecretsErrors.constraint("filters.member.values", null, values.isEmpty()
                        ? "Member must have length greater than or equal to 1"
                        : "Member must have length less than or equal to 10");
            }
            for (String value : values) {
                Secrets.requireLength("filters.member.values.member", value, 1, 512);
                if (!VALUE.matcher(value).matches()) {
                    throw SecretsErrors.constraint("filters.member.values.member", value,
                            "Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$");
                }
            }
            checked.add(filter);
        }
        return checked;
    }

    static boolean matches(List<Filter> filters, StoredSecret secret) {
        for (Filter filter : filters) {
            boolean any = false;
            for (String value : filter.values()) {
                boolean negated = value.startsWith("!");
                String wanted = negated ? value.substring(1) : value;
                if (matches(filter.key(), wanted, secret) != negated) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(FilterNameStringType key, String wanted, StoredSecret secret) {
        return switch (key) {
            case NAME -> secret.name().startsWith(wanted);
            case DESCRIPTION -> startsIgnoringCase(secret.description(), wanted);
            case TAG_KEY -> secret.tags().keySet().stream().anyMatch(k -> k.startsWith(wanted));
            case TAG_VALUE -> secret.tags().values().stream().anyMatch(v -> v.startsWith(wanted));
            case PRIMARY_REGION, OWNING_SERVICE -> false;
            case ALL -> List.of(wanted.split("\\s+")).stream().anyMatch(word -> anyAttribute(secret, word));
            default -> false;
        };
    }

    private static boolean anyAttribute(StoredSecret secret, String word) {
        return startsIgnoringCase(secret.name(), word) || startsIgnoringCase(secret.description(), word)
                || secret.tags().keySet().stream().anyMatch(k -> startsIgnoringCase(k, word))
                || secret.tags().values().stream().anyMatch(v -> startsIgnoringCase(v, word));
    }

    private static boolean startsIgnoringCase(String attribute, String prefix) {
        return attribute != null && attribute.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT));
    }
}
