package io.berth.control.ssm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;
import software.amazon.awssdk.services.ssm.model.ParametersFilter;

/**
 * The filters of DescribeParameters and GetParametersByPath: checked as SSM checks them, then
 * matched against a parameter's latest version (all values of one filter are alternatives, all
 * filters must hold).
 */
final class ParameterFilters {

    /** One checked filter. */
    record Filter(String key, String option, List<String> values) {
    }

    private static final int MAX_FILTERS = 50;
    private static final int MAX_VALUES = 50;
    private static final int MAX_VALUE_LENGTH = 1024;
    private static final Set<String> DESCRIBE_KEYS = Set.of("Name", "Type", "KeyId", "Path", "Tier", "DataType");
    private static final Set<String> PATH_KEYS = Set.of("Type", "KeyId", "Label");
    private static final Set<String> TYPES = Set.of("String", "StringList", "SecureString");
    private static final Set<String> TIERS = Set.of("Standard", "Advanced", "Intelligent-Tiering");

    private ParameterFilters() {
    }

    /** The filters of DescribeParameters, from either its older {@code Filters} or its {@code ParameterFilters}. */
    static List<Filter> forDescribe(List<ParametersFilter> legacy, List<ParameterStringFilter> filters) {
        if (!legacy.isEmpty() && !filters.isEmpty()) {
            throw SsmErrors.validation("You can use either Filters or ParameterFilters in a single request.");
        }
        if (!legacy.isEmpty()) {
            List<Filter> checked = new ArrayList<>();
            for (ParametersFilter filter : legacy) {
                String key = filter.keyAsString();
                if (!Set.of("Name", "Type", "KeyId").contains(key)) {
                    throw SsmErrors.constraint("filters.member.key", key,
                            "Member must satisfy enum value set: [Name, Type, KeyId]");
                }
                checked.add(check(key, "Name".equals(key) ? "BeginsWith" : "Equals", filter.values(), true));
            }
            return checked;
        }
        return check(filters, DESCRIBE_KEYS, true);
    }

    /** The filters of GetParametersByPath, which take Type, KeyId and Label only. */
    static List<Filter> forPath(List<ParameterStringFilter> filters) {
        return check(filters, PATH_KEYS, false);
    }

    private static List<Filter> check(List<ParameterStringFilter> filters, Set<String> keys, boolean tagsAllowed) {
        if (filters.size() > MAX_FILTERS) {
            throw SsmErrors.constraint("parameterFilters", null, "Member must have length less than or equal to "
                    + MAX_FILTERS);
        }
        List<Filter> checked = new ArrayList<>();
        for (ParameterStringFilter filter : filters) {
            String key = filter.key();
            Parameters.requirePresent("parameterFilters.member.key", key, 132);
            boolean tag = key.startsWith("tag:") && key.length() > 4;
            if (!(tag && tagsAllowed) && !keys.contains(key)) {
                throw SsmErrors.invalidFilterKey("The following filter key is not valid: " + key
                        + ". Valid filter keys include: " + keys.stream().sorted().toList() + ".");
            }
            String option = filter.option() == null ? ("Path".equals(key) ? "OneLevel" : "Equals") : filter.option();
            if (!optionsOf(key).contains(option)) {
                throw SsmErrors.invalidFilterOption("The following filter option is not valid: " + option
                        + ". Valid options include: " + optionsOf(key).stream().sorted().toList() + ".");
            }
            checked.add(check(key, option, filter.hasValues() ? filter.values() : List.of(), !tag));
        }
        return checked;
    }

    private static Set<String> optionsOf(String key) {
        return switch (key) {
            case "Path" -> Set.of("Recursive", "OneLevel");
            case "Name" -> Set.of("Equals", "BeginsWith", "Contains");
            case "Label" -> Set.of("Equals");
            default -> Set.of("Equals", "BeginsWith");
        };
    }

    private static Filter check(String key, String option, List<String> values, boolean valuesRequired) {
        if (values.isEmpty() && valuesRequired) {
            throw SsmErrors.invalidFilterValue("The following filter values are missing : null for filter key " + key
                    + ".");
        }
        if (values.size() > MAX_VALUES) {
            throw SsmErrors.constraint("parameterFilters.member.values", null,
                    "Member must have length less than or equal to " + MAX_VALUES);
        }
        for (String value : values) {
            if (value == null || value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
                throw SsmErrors.invalidFilterValue("Filter values must have between 1 and " + MAX_VALUE_LENGTH
                        + " characters.");
            }
            boolean valid = switch (key) {
                case "Type" -> !"Equals".equals(option) || TYPES.contains(value);
                case "Tier" -> !"Equals".equals(option) || TIERS.contains(value);
                case "Path" -> value.startsWith("/");
                default -> true;
            };
            if (!valid) {
                throw SsmErrors.invalidFilterValue("The following filter value is not valid: " + value
                        + " for filter key " + key + ".");
            }
        }
        return new Filter(key, option, List.copyOf(values));
    }

    /** Whether every filter holds for the parameter, judged by its latest version and, for labels, all versions. */
    static boolean matches(List<Filter> filters, StoredParameter stored, ParameterVersion latest,
            Supplier<List<ParameterVersion>> versions) {
        for (Filter filter : filters) {
            if (!matches(filter, stored, latest, versions)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Filter filter, StoredParameter stored, ParameterVersion latest,
            Supplier<List<ParameterVersion>> versions) {
        if (filter.key().startsWith("tag:")) {
            String tagKey = filter.key().substring(4);
            Map<String, String> tags = stored.tags();
            return tags.containsKey(tagKey) && (filter.values().isEmpty() || anyMatches(filter, tags.get(tagKey)));
        }
        return switch (filter.key()) {
            case "Name" -> anyMatches(filter, latest.name());
            case "Type" -> anyMatches(filter, latest.type().toString());
            case "KeyId" -> latest.keyId() != null && anyMatches(filter, latest.keyId());
            case "Tier" -> anyMatches(filter, latest.tier().toString());
            case "DataType" -> anyMatches(filter, latest.dataType());
            case "Label" -> versions.get().stream().anyMatch(v -> v.labels().stream().anyMatch(filter.values()::contains));
            case "Path" -> filter.values().stream().anyMatch(path -> underPath(latest.name(), path,
                    "Recursive".equals(filter.option())));
            default -> false;
        };
    }

    private static boolean anyMatches(Filter filter, String actual) {
        for (String value : filter.values()) {
            boolean match = switch (filter.option()) {
                case "BeginsWith" -> actual.startsWith(value);
                case "Contains" -> actual.contains(value);
                default -> actual.equals(value);
            };
            if (match) {
                return true;
            }
        }
        return false;
    }

    /** Whether the name lies under the path: anywhere below it, or (one level) directly in it. */
    static boolean underPath(String name, String path, boolean recursive) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String prefix = Parameters.childPrefix(trimmed);
        if (!name.startsWith(prefix) || name.length() == prefix.length()) {
            return false;
        }
        return recursive || name.indexOf('/', prefix.length()) < 0;
    }
}
