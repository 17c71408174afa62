package io.berth.control.tag;

import io.berth.control.Caller;
import io.berth.control.Operations;
import io.berth.control.Scope;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import io.berth.model.EcsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.ecs.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.ecs.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TagResourceRequest;
import software.amazon.awssdk.services.ecs.model.TagResourceResponse;
import software.amazon.awssdk.services.ecs.model.UntagResourceRequest;
import software.amazon.awssdk.services.ecs.model.UntagResourceResponse;

/**
 * TagResource, UntagResource and ListTagsForResource over every taggable resource. The resource
 * type in the ARN picks the family's {@link Taggable}; the family stores the tags with the resource.
 */
public final class TagService {

    /** The resource types ECS can tag; those without a {@link Taggable} here are not supported yet. */
    private static final Set<String> ECS_TAGGABLE_TYPES = Set.of("cluster", "task-definition", "container-instance",
            "task", "service", "capacity-provider", "task-set");

    private final State state;
    private final Map<String, Taggable<?>> taggables = new LinkedHashMap<>();

    public TagService(State state, List<Taggable<?>> taggables) {
        this.state = state;
        for (Taggable<?> taggable : taggables) {
            if (this.taggables.putIfAbsent(taggable.resourceType(), taggable) != null) {
                throw new IllegalArgumentException("Two taggables for " + taggable.resourceType());
            }
        }
    }

    public void addTo(Operations operations) {
        operations.add("TagResource", TagResourceRequest.class, this::tagResource);
        operations.add("UntagResource", UntagResourceRequest.class, this::untagResource);
        operations.add("ListTagsForResource", ListTagsForResourceRequest.class, this::listTagsForResource);
    }

    public TagResourceResponse tagResource(Caller caller, TagResourceRequest request) {
        if (!request.hasTags()) {
            throw EcsException.invalidParameter("tags is required.");
        }
        List<Tag> added = Tags.validate(request.tags());
        Target target = target(caller.scope(), request.resourceArn());
        state.write(caller.scope(), tx -> {
            target.update(tx, existing -> Tags.merge(existing, added));
            return null;
        });
        return TagResourceResponse.builder().build();
    }

    public UntagResourceResponse untagResource(Caller caller, UntagResourceRequest request) {
        if (!request.hasTagKeys()) {
            throw EcsException.invalidParameter("tagKeys is required.");
        }
        for (String key : request.tagKeys()) {
            if (key == null || key.isEmpty() || key.length() > 128) {
                throw EcsException.invalidParameter("Tag keys must be between 1 and 128 characters.");
            }
            if (key.regionMatches(true, 0, "aws:", 0, 4)) {
                throw EcsException.invalidParameter("Tag keys beginning with 'aws:' are reserved and cannot be removed.");
            }
        }
        Target target = target(caller.scope(), request.resourceArn());
        state.write(caller.scope(), tx -> {
            target.update(tx, existing -> Tags.without(existing, request.tagKeys()));
            return null;
        });
        return UntagResourceResponse.builder().build();
    }

    public ListTagsForResourceResponse listTagsForResource(Caller caller, ListTagsForResourceRequest request) {
        Target target = target(caller.scope(), request.resourceArn());
        List<Tag> tags = target.read(state.region(caller.scope()));
        return ListTagsForResourceResponse.builder().tags(tags).build();
    }

    /** The family and resource id an ARN names, or the AWS error for an ARN that names none. */
    private Target target(Scope scope, String resourceArn) {
        if (resourceArn == null || resourceArn.isEmpty()) {
            throw EcsException.invalidParameter("resourceArn is required.");
        }
        String[] parts = resourceArn.split(":", 6);
        int slash = parts.length == 6 ? parts[5].indexOf('/') : -1;
        if (parts.length != 6 || !"arn".equals(parts[0]) || !"ecs".equals(parts[2]) || slash <= 0
                || slash == parts[5].length() - 1) {
            throw EcsException.invalidParameter("Invalid ARN: " + resourceArn
                    + ". Expected arn:<partition>:ecs:<region>:<account>:<resource-type>/<id>.");
        }
        if (!parts[1].equals(scope.partition()) || !parts[3].equals(scope.region())
                || !parts[4].equals(scope.account())) {
            throw EcsException.invalidParameter("The ARN " + resourceArn + " does not belong to account "
                    + scope.account() + " in region " + scope.region() + ".");
        }
        String type = parts[5].substring(0, slash);
        Taggable<?> taggable = taggables.get(type);
        if (taggable == null) {
            if (ECS_TAGGABLE_TYPES.contains(type)) {
                throw EcsException.unsupportedFeature("Berth cannot tag resources of type " + type + " yet.");
            }
            throw EcsException.invalidParameter("Resources of type " + type + " cannot be tagged.");
        }
        return new Target(taggable, parts[5].substring(slash + 1));
    }

    private record Target(Taggable<?> taggable, String resourceId) {

        List<Tag> read(Region region) {
            return read(region, taggable);
        }

        void update(Transaction tx, UnaryOperator<List<Tag>> change) {
            update(tx, taggable, change);
        }

        private <T> List<Tag> read(Region region, Taggable<T> typed) {
            return typed.tags(require(region, typed));
        }

        private <T> void update(Transaction tx, Taggable<T> typed, UnaryOperator<List<Tag>> change) {
            T resource = require(tx.region(), typed);
            if (!typed.writable(resource)) {
                throw EcsException.invalidParameter("The specified " + typed.resourceType()
                        + " is inactive; only active resources can be tagged.");
            }
            typed.writeTags(tx, resourceId, resource, change.apply(typed.tags(resource)));
        }

        private <T> T require(Region region, Taggable<T> typed) {
            return typed.find(region, resourceId).orElseThrow(() -> EcsException.resourceNotFound(
                    "The specified " + typed.resourceType() + " was not found."));
        }
    }
}
