package io.berth.control.instance;

import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.PlatformDevice;
import software.amazon.awssdk.services.ecs.model.Resource;

/**
 * The resources an instance registers and the ledger of what remains. Numbers remaining are the
 * registered amount less what tasks use; the port sets remaining list every port taken, those the
 * host reserved at registration and those tasks use.
 */
final class InstanceResources {

    static final Set<String> TYPES = Set.of("INTEGER", "LONG", "DOUBLE", "STRINGSET");

    private InstanceResources() {
    }

    /** The registered resources, checked, with GPU devices added as a {@code GPU} set when not given. */
    static List<Resource> registered(List<Resource> total, List<PlatformDevice> devices) {
        Set<String> names = new HashSet<>();
        List<Resource> resources = new ArrayList<>();
        for (Resource resource : total) {
            if (resource.name() == null || resource.name().isEmpty()) {
                throw EcsException.invalidParameter("Every resource needs a name.");
            }
            if (!names.add(resource.name())) {
                throw EcsException.invalidParameter("Resource " + resource.name() + " is given more than once.");
            }
            String type = resource.type() == null ? typeOf(resource) : resource.type();
            if (!TYPES.contains(type)) {
                throw EcsException.invalidParameter("Resource " + resource.name()
                        + " has type " + type + "; the types are INTEGER, LONG, DOUBLE and STRINGSET.");
            }
            if (("CPU".equals(resource.name()) || "MEMORY".equals(resource.name()))
                    && (!"INTEGER".equals(type) || resource.integerValue() == null || resource.integerValue() < 0)) {
                throw EcsException.invalidParameter(
                        "Resource " + resource.name() + " must be an INTEGER of at least 0.");
            }
            resources.add(resource.toBuilder().type(type).build());
        }
        List<String> gpus = new ArrayList<>();
        for (PlatformDevice device : devices) {
            if (device.id() == null || device.id().isEmpty() || device.typeAsString() == null) {
                throw EcsException.invalidParameter("Every platform device needs an id and a type.");
            }
            if ("GPU".equals(device.typeAsString())) {
                gpus.add(device.id());
            }
        }
        if (!gpus.isEmpty() && !names.contains("GPU")) {
            resources.add(Resource.builder().name("GPU").type("STRINGSET").stringSetValue(gpus).build());
        }
        return List.copyOf(resources);
    }

    private static String typeOf(Resource resource) {
        if (resource.hasStringSetValue()) {
            return "STRINGSET";
        }
        if (resource.integerValue() != null) {
            return "INTEGER";
        }
        if (resource.longValue() != null) {
            return "LONG";
        }
        return "DOUBLE";
    }

    /**
     * What remains of newly registered resources when tasks already use part of the previously
     * registered ones; with nothing registered before, everything remains.
     */
    static List<Resource> remaining(List<Resource> registered, List<Resource> previousRegistered,
            List<Resource> previousRemaining) {
        Map<String, Resource> before = byName(previousRegistered);
        Map<String, Resource> left = byName(previousRemaining);
        List<Resource> remaining = new ArrayList<>();
        for (Resource resource : registered) {
            Resource was = before.get(resource.name());
            Resource wasLeft = left.get(resource.name());
            if (was == null || wasLeft == null) {
                remaining.add(resource);
                continue;
            }
            remaining.add(switch (resource.type()) {
                case "INTEGER" -> resource.toBuilder()
                        .integerValue(zero(resource.integerValue()) - (zero(was.integerValue()) - zero(wasLeft.integerValue())))
                        .build();
                case "LONG" -> resource.toBuilder()
                        .longValue(zeroL(resource.longValue()) - (zeroL(was.longValue()) - zeroL(wasLeft.longValue())))
                        .build();
                case "DOUBLE" -> resource.toBuilder()
                        .doubleValue(zeroD(resource.doubleValue()) - (zeroD(was.doubleValue()) - zeroD(wasLeft.doubleValue())))
                        .build();
                default -> {
                    Set<String> taken = new LinkedHashSet<>(resource.stringSetValue());
                    Set<String> usedByTasks = new LinkedHashSet<>(wasLeft.stringSetValue());
                    usedByTasks.removeAll(was.stringSetValue());
                    taken.addAll(usedByTasks);
                    yield resource.toBuilder().stringSetValue(List.copyOf(taken)).build();
                }
            });
        }
        return List.copyOf(remaining);
    }

    private static Map<String, Resource> byName(List<Resource> resources) {
        Map<String, Resource> map = new LinkedHashMap<>();
        resources.forEach(r -> map.put(r.name(), r));
        return map;
    }

    private static int zero(Integer value) {
        return value == null ? 0 : value;
    }

    private static long zeroL(Long value) {
        return value == null ? 0 : value;
    }

    private static double zeroD(Double value) {
        return value == null ? 0 : value;
    }
}
