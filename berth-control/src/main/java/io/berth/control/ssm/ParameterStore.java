package io.berth.control.ssm;

import io.berth.control.Caller;
import io.berth.control.JsonOperations;
import io.berth.control.access.ServiceAccess;
import io.berth.control.crypto.SealedDocuments;
import io.berth.control.crypto.Sealer;
import io.berth.control.iam.Authorizer;
import io.berth.control.state.Kind;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ssm.model.AddTagsToResourceRequest;
import software.amazon.awssdk.services.ssm.model.AddTagsToResourceResponse;
import software.amazon.awssdk.services.ssm.model.DeleteParameterRequest;
import software.amazon.awssdk.services.ssm.model.DeleteParametersRequest;
import software.amazon.awssdk.services.ssm.model.DescribeParametersRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterHistoryRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersRequest;
import software.amazon.awssdk.services.ssm.model.LabelParameterVersionRequest;
import software.amazon.awssdk.services.ssm.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.ssm.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.ssm.model.RemoveTagsFromResourceRequest;
import software.amazon.awssdk.services.ssm.model.RemoveTagsFromResourceResponse;
import software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging;
import software.amazon.awssdk.services.ssm.model.UnlabelParameterVersionRequest;

/**
 * The Parameter Store API ({@code AmazonSSM.*}) of every account and region, kept in {@link State}
 * with SecureString values sealed by the master key.
 */
public final class ParameterStore {

    /** What Parameter Store keeps, so a restart reads it back. */
    public static final List<Kind<?>> KINDS = List.of(Parameters.KIND, Parameters.VERSIONS);

    private final State state;
    private final ParameterPermissions permissions;
    private final ParameterWrites writes;
    private final ParameterReads reads;
    private final ParameterLabels labels;

    /** The stored values of SecureString parameters, for sealing them again under a new master key. */
    public static SealedDocuments sealedDocuments() {
        return new ParameterSeals();
    }

    /** @param authorizer decides what principals other than an account's root may do */
    public ParameterStore(State state, Sealer sealer, Authorizer authorizer, Clock clock) {
        this.state = state;
        this.permissions = new ParameterPermissions(new ServiceAccess(authorizer));
        this.writes = new ParameterWrites(state, sealer, permissions, clock);
        this.reads = new ParameterReads(state, sealer, permissions);
        this.labels = new ParameterLabels(state, permissions);
    }

    public void addTo(JsonOperations operations) {
        operations.add("PutParameter", PutParameterRequest.class, writes::putParameter);
        operations.add("GetParameter", GetParameterRequest.class, reads::getParameter);
        operations.add("GetParameters", GetParametersRequest.class, reads::getParameters);
        operations.add("GetParametersByPath", GetParametersByPathRequest.class, reads::getParametersByPath);
        operations.add("DescribeParameters", DescribeParametersRequest.class, reads::describeParameters);
        operations.add("GetParameterHistory", GetParameterHistoryRequest.class, reads::getParameterHistory);
        operations.add("DeleteParameter", DeleteParameterRequest.class, writes::deleteParameter);
        operations.add("DeleteParameters", DeleteParametersRequest.class, writes::deleteParameters);
        operations.add("LabelParameterVersion", LabelParameterVersionRequest.class, labels::label);
        operations.add("UnlabelParameterVersion", UnlabelParameterVersionRequest.class, labels::unlabel);
        operations.add("AddTagsToResource", AddTagsToResourceRequest.class, this::addTagsToResource);
        operations.add("ListTagsForResource", ListTagsForResourceRequest.class, this::listTagsForResource);
        operations.add("RemoveTagsFromResource", RemoveTagsFromResourceRequest.class, this::removeTagsFromResource);
    }

    AddTagsToResourceResponse addTagsToResource(Caller caller, AddTagsToResourceRequest request) {
        String name = taggedName(caller, request.resourceType(), request.resourceTypeAsString(), request.resourceId());
        if (!request.hasTags() || request.tags().isEmpty()) {
            throw SsmErrors.constraint("tags", null, "Member must not be null");
        }
        Map<String, String> added = ParameterTags.of(request.tags());
        Region region = state.region(caller.scope());
        permissions.require(caller, "AddTagsToResource", name, region.get(Parameters.KIND, name).orElse(null), added,
                added.keySet());
        state.write(caller.scope(), tx -> {
            StoredParameter stored = tx.get(Parameters.KIND, name).orElseThrow(SsmErrors::invalidResourceId);
            tx.put(Parameters.KIND, name, stored.withTags(ParameterTags.merged(stored.tags(), added)));
            return null;
        });
        return AddTagsToResourceResponse.builder().build();
    }

    ListTagsForResourceResponse listTagsForResource(Caller caller, ListTagsForResourceRequest request) {
        String name = taggedName(caller, request.resourceType(), request.resourceTypeAsString(), request.resourceId());
        StoredParameter stored = state.region(caller.scope()).get(Parameters.KIND, name).orElse(null);
        permissions.require(caller, "ListTagsForResource", name, stored);
        if (stored == null) {
            throw SsmErrors.invalidResourceId();
        }
        return ListTagsForResourceResponse.builder().tagList(ParameterTags.list(stored.tags())).build();
    }

    RemoveTagsFromResourceResponse removeTagsFromResource(Caller caller, RemoveTagsFromResourceRequest request) {
        String name = taggedName(caller, request.resourceType(), request.resourceTypeAsString(), request.resourceId());
        List<String> keys = request.hasTagKeys() ? request.tagKeys() : List.of();
        if (keys.isEmpty()) {
            throw SsmErrors.constraint("tagKeys", null, "Member must not be null");
        }
        Region region = state.region(caller.scope());
        permissions.require(caller, "RemoveTagsFromResource", name, region.get(Parameters.KIND, name).orElse(null),
                Map.of(), keys);
        state.write(caller.scope(), tx -> {
            StoredParameter stored = tx.get(Parameters.KIND, name).orElseThrow(SsmErrors::invalidResourceId);
            Map<String, String> remaining = new LinkedHashMap<>(stored.tags());
            keys.forEach(remaining::remove);
            tx.put(Parameters.KIND, name, stored.withTags(remaining));
            return null;
        });
        return RemoveTagsFromResourceResponse.builder().build();
    }

    /** The parameter a tagging call names; only parameters are taggable here. */
    private String taggedName(Caller caller, ResourceTypeForTagging type, String typeGiven, String resourceId) {
        if (typeGiven == null) {
            throw SsmErrors.constraint("resourceType", null, "Member must not be null");
        }
        if (type == ResourceTypeForTagging.UNKNOWN_TO_SDK_VERSION) {
            throw SsmErrors.constraint("resourceType", typeGiven, "Member must satisfy enum value set: "
                    + ResourceTypeForTagging.knownValues());
        }
        if (type != ResourceTypeForTagging.PARAMETER) {
            throw SsmErrors.invalidResourceType();
        }
        return Parameters.parseName(caller.scope(), state.region(caller.scope()), "resourceId", resourceId);
    }
}
