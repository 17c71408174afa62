package io.berth.control.cluster;

import io.berth.control.Caller;
import io.berth.control.Operations;
import io.berth.control.Paging;
import io.berth.control.account.AccountSettings;
import io.berth.control.fargate.FargateCapacity;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.tag.Tags;
import io.berth.model.EcsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.CreateClusterResponse;
import software.amazon.awssdk.services.ecs.model.DeleteClusterRequest;
import software.amazon.awssdk.services.ecs.model.DeleteClusterResponse;
import software.amazon.awssdk.services.ecs.model.DescribeClustersRequest;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.ListClustersRequest;
import software.amazon.awssdk.services.ecs.model.ListClustersResponse;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersRequest;
import software.amazon.awssdk.services.ecs.model.PutClusterCapacityProvidersResponse;
import software.amazon.awssdk.services.ecs.model.UpdateClusterRequest;
import software.amazon.awssdk.services.ecs.model.UpdateClusterResponse;
import software.amazon.awssdk.services.ecs.model.UpdateClusterSettingsRequest;
import software.amazon.awssdk.services.ecs.model.UpdateClusterSettingsResponse;

/** Clusters: create, describe, list, update, delete. */
public final class ClusterService {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,255}");
    private static final Set<String> SETTING_VALUES = Set.of("enabled", "disabled", "enhanced");
    private static final int MAX_DESCRIBE = 100;

    private final State state;
    private final ClusterActivity activity;
    private final BiPredicate<Region, String> providerExists;

    /**
     * @param providerExists whether a capacity provider of that name may be associated with a
     *     cluster of the region
     */
    public ClusterService(State state, ClusterActivity activity, BiPredicate<Region, String> providerExists) {
        this.state = state;
        this.activity = activity;
        this.providerExists = providerExists;
    }

    public void addTo(Operations operations) {
        operations.add("CreateCluster", CreateClusterRequest.class, this::createCluster);
        operations.add("DescribeClusters", DescribeClustersRequest.class, this::describeClusters);
        operations.add("ListClusters", ListClustersRequest.class, this::listClusters);
        operations.add("UpdateCluster", UpdateClusterRequest.class, this::updateCluster);
        operations.add("UpdateClusterSettings", UpdateClusterSettingsRequest.class, this::updateClusterSettings);
        operations.add("PutClusterCapacityProviders", PutClusterCapacityProvidersRequest.class,
                this::putClusterCapacityProviders);
        operations.add("DeleteCluster", DeleteClusterRequest.class, this::deleteCluster);
    }

    public CreateClusterResponse createCluster(Caller caller, CreateClusterRequest request) {
        String name = request.clusterName() == null ? Clusters.DEFAULT : request.clusterName();
        if (!NAME.matcher(name).matches()) {
            throw EcsException.invalidParameter(
                    "Cluster name can have up to 255 characters: letters, numbers, hyphens and underscores.");
        }
        List<ClusterSetting> settings = validSettings(request.hasSettings() ? request.settings() : List.of());
        List<software.amazon.awssdk.services.ecs.model.Tag> tags = Tags.validate(request.hasTags() ? request.tags() : null);
        validProviders(state.region(caller.scope()), request.hasCapacityProviders() ? request.capacityProviders() : List.of(),
                request.hasDefaultCapacityProviderStrategy() ? request.defaultCapacityProviderStrategy() : List.of());
        Cluster cluster = state.write(caller.scope(), tx -> {
            Cluster existing = tx.get(Clusters.KIND, name).orElse(null);
            if (existing != null && Clusters.ACTIVE.equals(existing.status())) {
                return existing;
            }
            Cluster created = Cluster.builder()
                    .clusterArn(caller.scope().arn("cluster/" + name))
                    .clusterName(name)
                    .status(Clusters.ACTIVE)
                    .settings(settings.isEmpty() ? List.of(ClusterSetting.builder().name("containerInsights")
                            .value(AccountSettings.effectiveValue(tx.region(), caller.principalArn(), "containerInsights")
                                    .orElse("disabled"))
                            .build()) : settings)
                    .tags(tags)
                    .capacityProviders(request.hasCapacityProviders() ? request.capacityProviders() : List.of())
                    .defaultCapacityProviderStrategy(request.hasDefaultCapacityProviderStrategy()
                            ? request.defaultCapacityProviderStrategy() : List.of())
                    .configuration(request.configuration())
                    .serviceConnectDefaults(request.serviceConnectDefaults() == null ? null
                            : software.amazon.awssdk.services.ecs.model.ClusterServiceConnectDefaults.builder()
                                    .namespace(request.serviceConnectDefaults().namespace()).build())
                    .build();
            tx.put(Clusters.KIND, name, created);
            return created;
        });
        return CreateClusterResponse.builder().cluster(present(state.region(caller.scope()), cluster, Set.of(
                ClusterField.SETTINGS, ClusterField.TAGS, ClusterField.CONFIGURATIONS))).build();
    }

    public DescribeClustersResponse describeClusters(Caller caller, DescribeClustersRequest request) {
        List<String> refs = request.hasClusters() ? request.clusters() : List.of(Clusters.DEFAULT);
        if (refs.size() > MAX_DESCRIBE) {
            throw EcsException.invalidParameter("At most " + MAX_DESCRIBE + " clusters can be described at once.");
        }
        Set<ClusterField> include = request.hasInclude() ? Set.copyOf(request.include()) : Set.of();
        Region region = state.region(caller.scope());
        List<Cluster> clusters = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String ref : refs) {
            Cluster cluster = Clusters.nameOf(caller.scope(), ref).flatMap(n -> region.get(Clusters.KIND, n)).orElse(null);
            if (cluster == null) {
                String arn = ref.startsWith("arn:") ? ref : caller.scope().arn("cluster/" + ref);
                failures.add(Failure.builder().arn(arn).reason("MISSING").build());
            } else {
                clusters.add(present(region, cluster, include));
            }
        }
        return DescribeClustersResponse.builder().clusters(clusters).failures(failures).build();
    }

    public ListClustersResponse listClusters(Caller caller, ListClustersRequest request) {
        Region region = state.region(caller.scope());
        Iterable<Cluster> active = region.all(Clusters.KIND).stream()
                .filter(c -> Clusters.ACTIVE.equals(c.status())).toList();
        Paging.Page<Cluster> page = Paging.page(active, Cluster::clusterName, request.maxResults(),
                request.nextToken(), 100, 100);
        return ListClustersResponse.builder()
                .clusterArns(page.items().stream().map(Cluster::clusterArn).toList())
                .nextToken(page.nextToken())
                .build();
    }

    public UpdateClusterResponse updateCluster(Caller caller, UpdateClusterRequest request) {
        List<ClusterSetting> settings = request.hasSettings() ? validSettings(request.settings()) : null;
        Cluster updated = state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            Cluster.Builder builder = cluster.toBuilder();
            if (settings != null) {
                builder.settings(mergeSettings(cluster.settings(), settings));
            }
            if (request.configuration() != null) {
                builder.configuration(request.configuration());
            }
            if (request.serviceConnectDefaults() != null) {
                builder.serviceConnectDefaults(software.amazon.awssdk.services.ecs.model.ClusterServiceConnectDefaults
                        .builder().namespace(request.serviceConnectDefaults().namespace()).build());
            }
            Cluster result = builder.build();
            tx.put(Clusters.KIND, result.clusterName(), result);
            return result;
        });
        return UpdateClusterResponse.builder().cluster(present(state.region(caller.scope()), updated,
                Set.of(ClusterField.SETTINGS, ClusterField.CONFIGURATIONS))).build();
    }

    public UpdateClusterSettingsResponse updateClusterSettings(Caller caller, UpdateClusterSettingsRequest request) {
        if (!request.hasSettings() || request.settings().isEmpty()) {
            throw EcsException.invalidParameter("settings must contain at least one setting.");
        }
        List<ClusterSetting> settings = validSettings(request.settings());
        Cluster updated = state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            Cluster result = cluster.toBuilder().settings(mergeSettings(cluster.settings(), settings)).build();
            tx.put(Clusters.KIND, result.clusterName(), result);
            return result;
        });
        return UpdateClusterSettingsResponse.builder().cluster(present(state.region(caller.scope()), updated,
                Set.of(ClusterField.SETTINGS))).build();
    }

    public PutClusterCapacityProvidersResponse putClusterCapacityProviders(Caller caller,
            PutClusterCapacityProvidersRequest request) {
        if (!request.hasCapacityProviders() || !request.hasDefaultCapacityProviderStrategy()) {
            throw EcsException.invalidParameter(
                    "capacityProviders and defaultCapacityProviderStrategy are required (they may be empty lists).");
        }
        validProviders(state.region(caller.scope()), request.capacityProviders(), request.defaultCapacityProviderStrategy());
        Cluster updated = state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            Cluster result = cluster.toBuilder()
                    .capacityProviders(request.capacityProviders())
                    .defaultCapacityProviderStrategy(request.defaultCapacityProviderStrategy())
                    .build();
            tx.put(Clusters.KIND, result.clusterName(), result);
            return result;
        });
        return PutClusterCapacityProvidersResponse.builder()
                .cluster(present(state.region(caller.scope()), updated, Set.of())).build();
    }

    public DeleteClusterResponse deleteCluster(Caller caller, DeleteClusterRequest request) {
        if (request.cluster() == null || request.cluster().isEmpty()) {
            throw EcsException.invalidParameter("cluster is required.");
        }
        Cluster deleted = state.write(caller.scope(), tx -> {
            Cluster cluster = Clusters.requireActive(tx, request.cluster());
            ClusterActivity.Counts counts = activity.of(tx.region(), cluster.clusterName());
            if (counts.registeredInstances() > 0) {
                throw new EcsException("ClusterContainsContainerInstancesException", 400,
                        "The Cluster cannot be deleted while Container Instances are active or draining.");
            }
            if (counts.activeServices() > 0 || counts.drainingServices() > 0) {
                throw new EcsException("ClusterContainsServicesException", 400,
                        "The Cluster cannot be deleted while Services are active.");
            }
            if (counts.runningTasks() > 0 || counts.pendingTasks() > 0) {
                throw new EcsException("ClusterContainsTasksException", 400,
                        "The Cluster cannot be deleted while Tasks are active.");
            }
            Cluster result = cluster.toBuilder().status(Clusters.INACTIVE).build();
            tx.put(Clusters.KIND, result.clusterName(), result);
            return result;
        });
        return DeleteClusterResponse.builder().cluster(present(state.region(caller.scope()), deleted, Set.of())).build();
    }

    /** The cluster as ECS shows it: counts filled in, optional parts only when included. */
    private Cluster present(Region region, Cluster cluster, Set<ClusterField> include) {
        boolean active = Clusters.ACTIVE.equals(cluster.status());
        ClusterActivity.Counts counts = active ? activity.of(region, cluster.clusterName()) : ClusterActivity.Counts.NONE;
        Cluster.Builder builder = cluster.toBuilder()
                .registeredContainerInstancesCount(counts.registeredInstances())
                .runningTasksCount(counts.runningTasks())
                .pendingTasksCount(counts.pendingTasks())
                .activeServicesCount(counts.activeServices())
                .statistics(include.contains(ClusterField.STATISTICS) ? statistics(counts) : null);
        if (!include.contains(ClusterField.TAGS)) {
            builder.tags((List<software.amazon.awssdk.services.ecs.model.Tag>) null);
        }
        if (!include.contains(ClusterField.SETTINGS)) {
            builder.settings((List<ClusterSetting>) null);
        }
        if (!include.contains(ClusterField.CONFIGURATIONS)) {
            builder.configuration((software.amazon.awssdk.services.ecs.model.ClusterConfiguration) null);
        }
        return builder.build();
    }

    private static List<KeyValuePair> statistics(ClusterActivity.Counts counts) {
        Map<String, Integer> values = new LinkedHashMap<>();
        ClusterActivity.Fargate fargate = counts.fargate();
        values.put("runningEC2TasksCount", counts.runningTasks() - fargate.runningTasks());
        values.put("runningFargateTasksCount", fargate.runningTasks());
        values.put("pendingEC2TasksCount", counts.pendingTasks() - fargate.pendingTasks());
        values.put("pendingFargateTasksCount", fargate.pendingTasks());
        values.put("activeEC2ServiceCount", counts.activeServices() - fargate.activeServices());
        values.put("activeFargateServiceCount", fargate.activeServices());
        values.put("drainingEC2ServiceCount", counts.drainingServices() - fargate.drainingServices());
        values.put("drainingFargateServiceCount", fargate.drainingServices());
        return values.entrySet().stream()
                .map(e -> KeyValuePair.builder().name(e.getKey()).value(String.valueOf(e.getValue())).build())
                .toList();
    }

    private static List<ClusterSetting> validSettings(List<ClusterSetting> settings) {
        for (ClusterSetting setting : settings) {
            if (!"containerInsights".equals(setting.nameAsString())) {
                throw EcsException.invalidParameter("Unknown cluster setting: " + setting.nameAsString()
                        + ". The only setting is containerInsights.");
            }
            if (setting.value() == null || !SETTING_VALUES.contains(setting.value())) {
                throw EcsException.invalidParameter(
                        "containerInsights must be one of enabled, disabled, enhanced.");
            }
        }
        return List.copyOf(settings);
    }

    private static List<ClusterSetting> mergeSettings(List<ClusterSetting> existing, List<ClusterSetting> changes) {
        Map<String, ClusterSetting> byName = new LinkedHashMap<>();
        existing.forEach(s -> byName.put(s.nameAsString(), s));
        changes.forEach(s -> byName.put(s.nameAsString(), s));
        return List.copyOf(byName.values());
    }

    private void validProviders(Region region, List<String> providers, List<CapacityProviderStrategyItem> strategy) {
        for (String provider : providers) {
            if (!providerExists.test(region, provider)) {
                throw EcsException.invalidParameter("The specified capacity provider '" + provider + "' does not exist.");
            }
        }
        FargateCapacity.refuseMix(strategy);
        for (CapacityProviderStrategyItem item : strategy) {
            if (!providers.contains(item.capacityProvider())) {
                throw EcsException.invalidParameter("The capacity provider " + item.capacityProvider()
                        + " in the default strategy is not associated with the cluster.");
            }
            if (item.weight() != null && (item.weight() < 0 || item.weight() > 1000)) {
                throw EcsException.invalidParameter("Capacity provider weight must be between 0 and 1000.");
            }
            if (item.base() != null && (item.base() < 0 || item.base() > 100000)) {
                throw EcsException.invalidParameter("Capacity provider base must be between 0 and 100000.");
            }
        }
    }
}
