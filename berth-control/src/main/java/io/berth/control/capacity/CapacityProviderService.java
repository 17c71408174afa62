package io.berth.control.capacity;

import io.berth.control.Caller;
import io.berth.control.Operations;
import io.berth.control.Paging;
import io.berth.control.cluster.Clusters;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.tag.Tags;
import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.AutoScalingGroupProvider;
import software.amazon.awssdk.services.ecs.model.AutoScalingGroupProviderUpdate;
import software.amazon.awssdk.services.ecs.model.CapacityProvider;
import software.amazon.awssdk.services.ecs.model.CapacityProviderField;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.CreateCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.CreateCapacityProviderResponse;
import software.amazon.awssdk.services.ecs.model.DeleteCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.DeleteCapacityProviderResponse;
import software.amazon.awssdk.services.ecs.model.DescribeCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.DescribeCapacityProvidersResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ManagedScaling;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.UpdateCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.UpdateCapacityProviderResponse;

/**
 * Capacity providers as records: an Auto Scaling group provider is kept with its settings and can
 * be associated with a cluster, but nothing here scales a group, so managed scaling and managed
 * termination protection are refused rather than pretended.
 */
public final class CapacityProviderService {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
    private static final List<String> RESERVED_PREFIXES = List.of("aws", "ecs", "fargate");
    private static final int MAX_DESCRIBE = 10;
    private static final String ENABLED = "ENABLED";

    private final State state;

    public CapacityProviderService(State state) {
        this.state = state;
    }

    public void addTo(Operations operations) {
        operations.add("CreateCapacityProvider", CreateCapacityProviderRequest.class, this::createCapacityProvider);
        operations.add("DescribeCapacityProviders", DescribeCapacityProvidersRequest.class,
                this::describeCapacityProviders);
        operations.add("UpdateCapacityProvider", UpdateCapacityProviderRequest.class, this::updateCapacityProvider);
        operations.add("DeleteCapacityProvider", DeleteCapacityProviderRequest.class, this::deleteCapacityProvider);
    }

    public CreateCapacityProviderResponse createCapacityProvider(Caller caller, CreateCapacityProviderRequest request) {
        String name = request.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw EcsException.invalidParameter("The capacity provider name can have up to 255 characters: letters, "
                    + "numbers, hyphens and underscores.");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED_PREFIXES.stream().anyMatch(lower::startsWith)) {
            throw EcsException.invalidParameter("The capacity provider name cannot begin with aws, ecs or fargate.");
        }
        if (request.managedInstancesProvider() != null || request.cluster() != null) {
            throw EcsException.unsupportedFeature("Managed instances capacity providers are not supported here.");
        }
        AutoScalingGroupProvider group = request.autoScalingGroupProvider();
        if (group == null || group.autoScalingGroupArn() == null || group.autoScalingGroupArn().isEmpty()) {
            throw EcsException.invalidParameter("autoScalingGroupProvider with an autoScalingGroupArn is required.");
        }
        refuseManaged(group.managedScaling(), group.managedTerminationProtectionAsString());
        List<Tag> tags = Tags.validate(request.hasTags() && !request.tags().isEmpty() ? request.tags() : null);
        CapacityProvider created = state.write(caller.scope(), tx -> {
            Optional<CapacityProvider> existing = tx.get(CapacityProviders.KIND, name);
            if (existing.isPresent() && CapacityProviders.ACTIVE.equals(existing.get().statusAsString())) {
                throw EcsException.clientException("A capacity provider named " + name + " already exists.");
            }
            boolean groupTaken = tx.region().all(CapacityProviders.KIND).stream()
                    .filter(p -> CapacityProviders.ACTIVE.equals(p.statusAsString()))
                    .anyMatch(p -> p.autoScalingGroupProvider() != null
                            && group.autoScalingGroupArn().equals(p.autoScalingGroupProvider().autoScalingGroupArn()));
            if (groupTaken) {
                throw EcsException.clientException("The specified Auto Scaling group is already used by another "
                        + "capacity provider.");
            }
            CapacityProvider provider = CapacityProvider.builder()
                    .capacityProviderArn(CapacityProviders.arn(caller.scope(), name))
                    .name(name)
                    .status(CapacityProviders.ACTIVE)
                    .type("EC2_AUTOSCALING")
                    .autoScalingGroupProvider(withDefaults(group))
                    .tags(tags)
                    .build();
            tx.put(CapacityProviders.KIND, name, provider);
            return provider;
        });
        return CreateCapacityProviderResponse.builder().capacityProvider(created).build();
    }

    public DescribeCapacityProvidersResponse describeCapacityProviders(Caller caller,
            DescribeCapacityProvidersRequest request) {
        Region region = state.region(caller.scope());
        boolean withTags = request.hasInclude() && request.include().contains(CapacityProviderField.TAGS);
        List<CapacityProvider> providers = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        if (request.hasCapacityProviders() && !request.capacityProviders().isEmpty()) {
            if (request.capacityProviders().size() > MAX_DESCRIBE) {
                throw EcsException.invalidParameter("At most " + MAX_DESCRIBE
                        + " capacity providers can be described at once.");
            }
            for (String ref : request.capacityProviders()) {
                Optional<CapacityProvider> provider = CapacityProviders.nameOf(caller.scope(), ref)
                        .flatMap(name -> find(region, name));
                if (provider.isPresent()) {
                    providers.add(present(provider.get(), withTags));
                } else {
                    String arn = ref.startsWith("arn:") ? ref : CapacityProviders.arn(caller.scope(), ref);
                    failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                }
            }
            return DescribeCapacityProvidersResponse.builder().capacityProviders(providers).failures(failures).build();
        }
        List<CapacityProvider> all = new ArrayList<>();
        CapacityProviders.BUILT_IN.stream().sorted().forEach(name -> all.add(builtIn(caller, name)));
        region.all(CapacityProviders.KIND).stream().filter(p -> CapacityProviders.ACTIVE.equals(p.statusAsString()))
                .forEach(all::add);
        all.sort(java.util.Comparator.comparing(CapacityProvider::name));
        Paging.Page<CapacityProvider> page = Paging.page(all, CapacityProvider::name, request.maxResults(),
                request.nextToken(), 10, 10);
        return DescribeCapacityProvidersResponse.builder()
                .capacityProviders(page.items().stream().map(p -> present(p, withTags)).toList())
                .failures(failures)
                .nextToken(page.nextToken())
                .build();
    }

    public UpdateCapacityProviderResponse updateCapacityProvider(Caller caller, UpdateCapacityProviderRequest request) {
        if (request.name() == null || request.name().isEmpty()) {
            throw EcsException.invalidParameter("name can not be blank.");
        }
        if (request.managedInstancesProvider() != null) {
            throw EcsException.unsupportedFeature("Managed instances capacity providers are not supported here.");
        }
        AutoScalingGroupProviderUpdate update = request.autoScalingGroupProvider();
        if (update == null) {
            throw EcsException.invalidParameter("autoScalingGroupProvider is required.");
        }
        refuseManaged(update.managedScaling(), update.managedTerminationProtectionAsString());
        String name = CapacityProviders.nameOf(caller.scope(), request.name())
                .orElseThrow(() -> EcsException.invalidParameter("The specified capacity provider does not exist."));
        CapacityProvider updated = state.write(caller.scope(), tx -> {
            CapacityProvider provider = tx.get(CapacityProviders.KIND, name)
                    .filter(p -> CapacityProviders.ACTIVE.equals(p.statusAsString()))
                    .orElseThrow(() -> EcsException.invalidParameter("The specified capacity provider does not exist."));
            AutoScalingGroupProvider.Builder group = provider.autoScalingGroupProvider().toBuilder();
            if (update.managedScaling() != null) {
                group.managedScaling(update.managedScaling());
            }
            if (update.managedTerminationProtection() != null) {
                group.managedTerminationProtection(update.managedTerminationProtection());
            }
            if (update.managedDraining() != null) {
                group.managedDraining(update.managedDraining());
            }
            CapacityProvider result = provider.toBuilder().autoScalingGroupProvider(group.build())
                    .updateStatus("UPDATE_COMPLETE").build();
            tx.put(CapacityProviders.KIND, name, result);
            return result;
        });
        return UpdateCapacityProviderResponse.builder().capacityProvider(present(updated, false)).build();
    }

    public DeleteCapacityProviderResponse deleteCapacityProvider(Caller caller, DeleteCapacityProviderRequest request) {
        if (request.capacityProvider() == null || request.capacityProvider().isEmpty()) {
            throw EcsException.invalidParameter("capacityProvider can not be blank.");
        }
        String name = CapacityProviders.nameOf(caller.scope(), request.capacityProvider())
                .orElseThrow(() -> EcsException.invalidParameter("The specified capacity provider does not exist."));
        if (CapacityProviders.BUILT_IN.contains(name)) {
            throw EcsException.invalidParameter("The " + name + " capacity provider cannot be deleted.");
        }
        CapacityProvider deleted = state.write(caller.scope(), tx -> {
            CapacityProvider provider = tx.get(CapacityProviders.KIND, name)
                    .filter(p -> CapacityProviders.ACTIVE.equals(p.statusAsString()))
                    .orElseThrow(() -> EcsException.invalidParameter("The specified capacity provider does not exist."));
            for (Cluster cluster : tx.region().all(Clusters.KIND)) {
                if (Clusters.ACTIVE.equals(cluster.status()) && cluster.capacityProviders().contains(name)) {
                    throw EcsException.clientException("The capacity provider " + name + " is associated with the "
                            + "cluster " + cluster.clusterName() + ". Remove it with PutClusterCapacityProviders first.");
                }
            }
            CapacityProvider result = provider.toBuilder().status(CapacityProviders.INACTIVE)
                    .updateStatus("DELETE_COMPLETE").build();
            tx.put(CapacityProviders.KIND, name, result);
            return result;
        });
        return DeleteCapacityProviderResponse.builder().capacityProvider(present(deleted, false)).build();
    }

    private static Optional<CapacityProvider> find(Region region, String name) {
        return region.get(CapacityProviders.KIND, name);
    }

    private static CapacityProvider builtIn(Caller caller, String name) {
        return CapacityProvider.builder().capacityProviderArn(CapacityProviders.arn(caller.scope(), name)).name(name)
                .status(CapacityProviders.ACTIVE).type(name).tags(List.of()).build();
    }

    private static CapacityProvider present(CapacityProvider provider, boolean withTags) {
        return withTags ? provider : provider.toBuilder().tags((List<Tag>) null).build();
    }

    private static AutoScalingGroupProvider withDefaults(AutoScalingGroupProvider group) {
        AutoScalingGroupProvider.Builder builder = group.toBuilder();
        if (group.managedScaling() == null) {
            builder.managedScaling(ManagedScaling.builder().status("DISABLED").targetCapacity(100)
                    .minimumScalingStepSize(1).maximumScalingStepSize(10000).instanceWarmupPeriod(300).build());
        }
        if (group.managedTerminationProtection() == null) {
            builder.managedTerminationProtection("DISABLED");
        }
        if (group.managedDraining() == null) {
            builder.managedDraining("DISABLED");
        }
        return builder.build();
    }

    /** Nothing here scales an Auto Scaling group or protects its instances. */
    private static void refuseManaged(ManagedScaling scaling, String terminationProtection) {
        if (scaling != null && ENABLED.equals(scaling.statusAsString())) {
            throw EcsException.unsupportedFeature("Managed scaling is not supported here: no Auto Scaling group is "
                    + "scaled.");
        }
        if (ENABLED.equals(terminationProtection)) {
            throw EcsException.unsupportedFeature("Managed termination protection is not supported here.");
        }
        if (scaling != null && scaling.targetCapacity() != null
                && (scaling.targetCapacity() < 1 || scaling.targetCapacity() > 100)) {
            throw EcsException.invalidParameter("targetCapacity must be between 1 and 100.");
        }
    }
}
