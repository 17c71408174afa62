package io.berth.control.instance;

import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.Attribute;

/** The attribute rules of ECS: names, values, and how many custom attributes an instance may hold. */
final class InstanceAttributes {

    static final int MAX_CUSTOM = 10;
    static final int MAX_PER_CALL = 10;

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_./\\\\@-]{1,128}");
    private static final Pattern VALUE = Pattern.compile("[a-zA-Z0-9_./\\\\@: -]{1,128}");

    private InstanceAttributes() {
    }

    static void validate(Attribute attribute) {
        String name = attribute.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw EcsException.invalidParameter("Attribute name '" + name + "' is not valid: it must have 1 to 128 "
                    + "letters, numbers, hyphens, underscores, periods, at signs, forward slashes or back slashes.");
        }
        String value = attribute.value();
        if (value != null && !value.isEmpty()
                && (!VALUE.matcher(value).matches() || value.startsWith(" ") || value.endsWith(" "))) {
            throw EcsException.invalidParameter("Attribute value '" + value + "' of " + name + " is not valid: it must "
                    + "have 1 to 128 letters, numbers, hyphens, underscores, periods, at signs, forward slashes, back "
                    + "slashes, colons or spaces, and may not start or end with a space.");
        }
    }

    /** Attributes that ECS and the agent set (ecs.*, com.amazonaws.ecs.*) do not count against the limit. */
    static boolean isCustom(String name) {
        return !name.startsWith("ecs.") && !name.startsWith("com.amazonaws.ecs.");
    }

    static void checkLimit(List<Attribute> attributes) {
        long custom = attributes.stream().filter(a -> isCustom(a.name())).count();
        if (custom > MAX_CUSTOM) {
            throw new EcsException("AttributeLimitExceededException", 400,
                    "You can apply up to " + MAX_CUSTOM + " custom attributes for each resource.");
        }
    }

    /** The existing attributes with the changes applied by name, order kept, target members cleared. */
    static List<Attribute> merge(List<Attribute> existing, List<Attribute> changes) {
        Map<String, Attribute> byName = new LinkedHashMap<>();
        existing.forEach(a -> byName.put(a.name(), plain(a)));
        changes.forEach(a -> byName.put(a.name(), plain(a)));
        return List.copyOf(byName.values());
    }

    static List<Attribute> without(List<Attribute> existing, List<String> names) {
        List<Attribute> kept = new ArrayList<>();
        for (Attribute attribute : existing) {
            if (!names.contains(attribute.name())) {
                kept.add(attribute);
            }
        }
        return List.copyOf(kept);
    }

    /** An attribute as an instance holds it: name and value only. */
    static Attribute plain(Attribute attribute) {
        return Attribute.builder().name(attribute.name()).value(attribute.value()).build();
    }
}
