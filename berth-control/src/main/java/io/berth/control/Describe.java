package io.berth.control;

import io.berth.model.Arns;
import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.ecs.model.Failure;

/**
 * How ECS answers a Describe call: every reference (a name, an id or an ARN) is looked up on its
 * own, and one that names nothing becomes a {@code MISSING} failure instead of failing the call.
 */
public final class Describe {

    private Describe() {
    }

    /** Refuses an empty list and one longer than ECS allows, before anything is looked up. */
    public static void checkCount(List<String> references, int max, String noun) {
        if (references == null || references.isEmpty()) {
            throw EcsException.invalidParameter(Character.toUpperCase(noun.charAt(0)) + noun.substring(1)
                    + " cannot be empty.");
        }
        if (references.size() > max) {
            throw EcsException.invalidParameter("At most " + max + " " + noun + " can be described at once.");
        }
    }

    /** What was found, in the order asked, and a failure for each reference that named nothing. */
    public record Result<T>(List<T> found, List<Failure> failures) {
    }

    /**
     * Looks each reference up.
     *
     * @param noun what is described, plural, for the errors ("tasks")
     * @param arnOf the ARN a short reference stands for, named in its failure
     */
    public static <T> Result<T> each(List<String> references, int max, String noun,
            Function<String, Optional<T>> lookup, Function<String, String> arnOf) {
        checkCount(references, max, noun);
        List<T> found = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String reference : references) {
            Optional<T> value = lookup.apply(reference);
            if (value.isPresent()) {
                found.add(value.get());
            } else {
                String arn = Arns.isArn(reference) ? reference : arnOf.apply(reference);
                failures.add(Failure.builder().arn(arn).reason("MISSING").build());
            }
        }
        return new Result<>(found, failures);
    }
}
