package io.berth.control.ssm;

import io.berth.control.Caller;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ssm.model.LabelParameterVersionRequest;
import software.amazon.awssdk.services.ssm.model.LabelParameterVersionResponse;
import software.amazon.awssdk.services.ssm.model.UnlabelParameterVersionRequest;
import software.amazon.awssdk.services.ssm.model.UnlabelParameterVersionResponse;

/**
 * LabelParameterVersion and UnlabelParameterVersion: a label names one version of a parameter at a
 * time (attaching it elsewhere moves it), a version holds at most ten, and {@code name:label}
 * selects the version that holds it.
 */
final class ParameterLabels {

    static final int MAX_LABELS_PER_VERSION = 10;
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_.\\-][a-zA-Z0-9_.\\-]{0,99}");

    private final State state;
    private final ParameterPermissions permissions;

    ParameterLabels(State state, ParameterPermissions permissions) {
        this.state = state;
        this.permissions = permissions;
    }

    LabelParameterVersionResponse label(Caller caller, LabelParameterVersionRequest request) {
        Region region = state.region(caller.scope());
        String name = Parameters.parseName(caller.scope(), region, "name", request.name());
        Set<String> labels = labels(request.hasLabels() ? request.labels() : List.of());
        permissions.require(caller, "LabelParameterVersion", name, region.get(Parameters.KIND, name).orElse(null));
        return state.write(caller.scope(), tx -> {
            StoredParameter stored = tx.get(Parameters.KIND, name).orElseThrow(() -> SsmErrors.notFound(name));
            long target = request.parameterVersion() != null ? request.parameterVersion() : stored.version();
            List<ParameterVersion> versions = Parameters.versions(tx.region(), name);
            ParameterVersion labelled = versions.stream().filter(v -> v.version() == target).findFirst()
                    .orElseThrow(() -> SsmErrors.versionNotFound(name, target));
            List<String> invalid = new ArrayList<>();
            Set<String> valid = new LinkedHashSet<>();
            for (String label : labels) {
                (validLabel(label) ? valid : invalid).add(label);
            }
            Set<String> combined = new LinkedHashSet<>(labelled.labels());
            combined.addAll(valid);
            if (combined.size() > MAX_LABELS_PER_VERSION) {
                throw SsmErrors.labelLimit();
            }
            for (ParameterVersion other : versions) {
                if (other.version() != target && other.labels().stream().anyMatch(valid::contains)) {
                    List<String> kept = other.labels().stream().filter(l -> !valid.contains(l)).toList();
                    tx.put(Parameters.VERSIONS, Parameters.versionId(name, other.version()), other.withLabels(kept));
                }
            }
            tx.put(Parameters.VERSIONS, Parameters.versionId(name, target), labelled.withLabels(List.copyOf(combined)));
            return LabelParameterVersionResponse.builder().invalidLabels(invalid).parameterVersion(target).build();
        });
    }

    UnlabelParameterVersionResponse unlabel(Caller caller, UnlabelParameterVersionRequest request) {
        Region region = state.region(caller.scope());
        String name = Parameters.parseName(caller.scope(), region, "name", request.name());
        if (request.parameterVersion() == null) {
            throw SsmErrors.constraint("parameterVersion", null, "Member must not be null");
        }
        long target = request.parameterVersion();
        Set<String> labels = labels(request.hasLabels() ? request.labels() : List.of());
        permissions.require(caller, "UnlabelParameterVersion", name, region.get(Parameters.KIND, name).orElse(null));
        return state.write(caller.scope(), tx -> {
            tx.get(Parameters.KIND, name).orElseThrow(() -> SsmErrors.notFound(name));
            ParameterVersion version = Parameters.version(tx.region(), name, target)
                    .orElseThrow(() -> SsmErrors.versionNotFound(name, target));
            List<String> removed = labels.stream().filter(version.labels()::contains).toList();
            List<String> invalid = labels.stream().filter(l -> !version.labels().contains(l)).toList();
            if (!removed.isEmpty()) {
                tx.put(Parameters.VERSIONS, Parameters.versionId(name, target), version.withLabels(
                        version.labels().stream().filter(l -> !removed.contains(l)).toList()));
            }
            return UnlabelParameterVersionResponse.builder().removedLabels(removed).invalidLabels(invalid).build();
        });
    }

    private static Set<String> labels(List<String> labels) {
        if (labels.isEmpty() || labels.size() > MAX_LABELS_PER_VERSION) {
            throw SsmErrors.constraint("labels", null, labels.isEmpty()
                    ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to " + MAX_LABELS_PER_VERSION);
        }
        for (String label : labels) {
            Parameters.requirePresent("labels.member", label, 100);
        }
        return new LinkedHashSet<>(labels);
    }

    /** A label is letters, digits, {@code . - _}, not starting with a digit nor with aws or ssm. */
    private static boolean validLabel(String label) {
        String lower = label.toLowerCase(Locale.ROOT);
        return LABEL.matcher(label).matches() && !lower.startsWith("aws") && !lower.startsWith("ssm");
    }
}
