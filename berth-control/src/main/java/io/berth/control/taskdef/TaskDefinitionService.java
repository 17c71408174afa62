package io.berth.control.taskdef;

import io.berth.control.Caller;
import io.berth.control.Operations;
import io.berth.control.Paging;
import io.berth.control.Scope;
import io.berth.control.state.Region;
import io.berth.control.state.State;
import io.berth.control.state.Transaction;
import io.berth.control.tag.Tags;
import io.berth.model.AwsJson;
import io.berth.model.EcsException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeleteTaskDefinitionsRequest;
import software.amazon.awssdk.services.ecs.model.DeleteTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.DeregisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DeregisterTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionFamiliesRequest;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionFamiliesResponse;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsRequest;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** Task definitions: register, describe, list, deregister, delete. */
public final class TaskDefinitionService {

    static final String NOT_FOUND = "The specified task definition does not exist. Specify a valid account, family,"
            + " revision and try again.";
    static final String STILL_ACTIVE = "The specified task definition is still in ACTIVE status. Please deregister"
            + " the target and try again.";
    private static final int MAX_DELETE = 10;
    private static final int MAX_RESULTS = 100;
    private static final Set<String> LISTED_STATUSES = Set.of(TaskDefinitions.ACTIVE, TaskDefinitions.INACTIVE,
            TaskDefinitions.DELETE_IN_PROGRESS);
    private static final Set<String> FAMILY_STATUSES = Set.of("ACTIVE", "INACTIVE", "ALL");

    private final State state;
    private final Clock clock;
    private final AwsJson json = new AwsJson();

    public TaskDefinitionService(State state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    public void addTo(Operations operations) {
        operations.add("RegisterTaskDefinition", RegisterTaskDefinitionRequest.class, this::registerTaskDefinition);
        operations.add("DescribeTaskDefinition", DescribeTaskDefinitionRequest.class, this::describeTaskDefinition);
        operations.add("ListTaskDefinitions", ListTaskDefinitionsRequest.class, this::listTaskDefinitions);
        operations.add("ListTaskDefinitionFamilies", ListTaskDefinitionFamiliesRequest.class,
                this::listTaskDefinitionFamilies);
        operations.add("DeregisterTaskDefinition", DeregisterTaskDefinitionRequest.class,
                this::deregisterTaskDefinition);
        operations.add("DeleteTaskDefinitions", DeleteTaskDefinitionsRequest.class, this::deleteTaskDefinitions);
    }

    public RegisterTaskDefinitionResponse registerTaskDefinition(Caller caller, RegisterTaskDefinitionRequest request) {
        RegistrationRules.check(request, json.writeBytes(request).length);
        List<Tag> tags = Tags.validate(request.hasTags() ? request.tags() : null);
        TaskDefinition unnumbered = definitionOf(request, caller.principalArn(), now());
        TaskDefinition registered = state.write(caller.scope(), tx -> {
            String family = unnumbered.family();
            int revision = lastRevision(tx, family) + 1;
            TaskDefinition created = unnumbered.toBuilder()
                    .revision(revision)
                    .taskDefinitionArn(arn(tx.scope(), family, revision))
                    .build();
            tx.put(TaskDefinitions.FAMILY_KIND, family, new TaskDefinitions.Family(family, revision));
            tx.put(TaskDefinitions.KIND, TaskDefinitions.key(created), created);
            if (!tags.isEmpty()) {
                tx.put(TaskDefinitions.TAGS_KIND, TaskDefinitions.key(created), new TaskDefinitions.RevisionTags(tags));
            }
            return created;
        });
        RegisterTaskDefinitionResponse.Builder response = RegisterTaskDefinitionResponse.builder()
                .taskDefinition(registered);
        if (!tags.isEmpty()) {
            response.tags(tags);
        }
        return response.build();
    }

    public DescribeTaskDefinitionResponse describeTaskDefinition(Caller caller, DescribeTaskDefinitionRequest request) {
        Region region = state.region(caller.scope());
        TaskDefinition taskDefinition = TaskDefinitions.resolve(region, request.taskDefinition())
                .orElseThrow(() -> EcsException.clientException("Unable to describe task definition."));
        DescribeTaskDefinitionResponse.Builder response = DescribeTaskDefinitionResponse.builder()
                .taskDefinition(taskDefinition);
        if (request.includeAsStrings().contains("TAGS")) {
            response.tags(TaskDefinitions.tags(region, taskDefinition));
        }
        return response.build();
    }

    /** Revisions of one status (ACTIVE when absent), by family then revision, optionally reversed. */
    public ListTaskDefinitionsResponse listTaskDefinitions(Caller caller, ListTaskDefinitionsRequest request) {
        String status = request.statusAsString() == null ? TaskDefinitions.ACTIVE : request.statusAsString();
        if (!LISTED_STATUSES.contains(status)) {
            throw EcsException.invalidParameter("Invalid status '" + status
                    + "'. Valid values are ACTIVE, INACTIVE and DELETE_IN_PROGRESS.");
        }
        boolean descending = isDescending(request.sortAsString());
        Region region = state.region(caller.scope());
        // familyPrefix names one whole family in ECS, despite its name.
        Collection<TaskDefinition> candidates = request.familyPrefix() == null
                ? region.all(TaskDefinitions.KIND)
                : TaskDefinitions.revisions(region, request.familyPrefix());
        List<TaskDefinition> matching = new ArrayList<>(candidates.stream()
                .filter(t -> status.equals(t.statusAsString())).toList());
        Function<TaskDefinition, String> pagingKey = TaskDefinitions::key;
        if (descending) {
            Collections.reverse(matching);
            pagingKey = pagingKey.andThen(TaskDefinitionService::reversedOrder);
        }
        Paging.Page<TaskDefinition> page = Paging.page(matching, pagingKey, request.maxResults(),
                request.nextToken(), MAX_RESULTS, MAX_RESULTS);
        return ListTaskDefinitionsResponse.builder()
                .taskDefinitionArns(page.items().stream().map(TaskDefinition::taskDefinitionArn).toList())
                .nextToken(page.nextToken())
                .build();
    }

    /**
     * Families whose name starts with familyPrefix. As in ECS, a family is ACTIVE while any revision
     * is, and without a status both ACTIVE and INACTIVE families are listed.
     */
    public ListTaskDefinitionFamiliesResponse listTaskDefinitionFamilies(Caller caller,
            ListTaskDefinitionFamiliesRequest request) {
        String status = request.statusAsString() == null ? "ALL" : request.statusAsString();
        if (!FAMILY_STATUSES.contains(status)) {
            throw EcsException.invalidParameter("Invalid status '" + status + "'. Valid values are ACTIVE, INACTIVE and ALL.");
        }
        Region region = state.region(caller.scope());
        String prefix = request.familyPrefix() == null ? "" : request.familyPrefix();
        List<String> families = region.withPrefix(TaskDefinitions.FAMILY_KIND, prefix).stream()
                .map(TaskDefinitions.Family::name)
                .filter(family -> "ALL".equals(status) || status.equals(familyStatus(region, family)))
                .toList();
        Paging.Page<String> page = Paging.page(families, Function.identity(), request.maxResults(),
                request.nextToken(), MAX_RESULTS, MAX_RESULTS);
        return ListTaskDefinitionFamiliesResponse.builder()
                .families(page.items())
                .nextToken(page.nextToken())
                .build();
    }

    public DeregisterTaskDefinitionResponse deregisterTaskDefinition(Caller caller,
            DeregisterTaskDefinitionRequest request) {
        String reference = request.taskDefinition();
        if (!namesRevision(reference)) {
            throw EcsException.clientException("The task definition must be given as family:revision or as its full"
                    + " ARN; a family alone does not name one revision.");
        }
        Instant now = now();
        TaskDefinition deregistered = state.write(caller.scope(), tx -> {
            TaskDefinition current = find(tx, reference).orElseThrow(() -> EcsException.clientException(NOT_FOUND));
            if (TaskDefinitions.DELETE_IN_PROGRESS.equals(current.statusAsString())) {
                throw EcsException.clientException("The specified task definition is being deleted and cannot be"
                        + " deregistered.");
            }
            if (TaskDefinitions.INACTIVE.equals(current.statusAsString())) {
                return current;
            }
            TaskDefinition inactive = current.toBuilder()
                    .status(TaskDefinitions.INACTIVE)
                    .deregisteredAt(now)
                    .build();
            tx.put(TaskDefinitions.KIND, TaskDefinitions.key(inactive), inactive);
            return inactive;
        });
        return DeregisterTaskDefinitionResponse.builder().taskDefinition(deregistered).build();
    }

    public DeleteTaskDefinitionsResponse deleteTaskDefinitions(Caller caller, DeleteTaskDefinitionsRequest request) {
        List<String> references = request.taskDefinitions();
        if (references.isEmpty() || references.size() > MAX_DELETE) {
            throw EcsException.invalidParameter("taskDefinitions must hold between 1 and " + MAX_DELETE
                    + " task definitions.");
        }
        Instant now = now();
        return state.write(caller.scope(), tx -> {
            List<TaskDefinition> deleted = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String reference : references) {
                TaskDefinition current = namesRevision(reference) ? find(tx, reference).orElse(null) : null;
                if (current == null) {
                    failures.add(failure(arnOf(tx.scope(), reference), NOT_FOUND));
                } else if (TaskDefinitions.ACTIVE.equals(current.statusAsString())) {
                    failures.add(failure(current.taskDefinitionArn(), STILL_ACTIVE));
                } else if (TaskDefinitions.DELETE_IN_PROGRESS.equals(current.statusAsString())) {
                    deleted.add(current);
                } else {
                    TaskDefinition deleting = current.toBuilder()
                            .status(TaskDefinitions.DELETE_IN_PROGRESS)
                            .deleteRequestedAt(now)
                            .build();
                    tx.put(TaskDefinitions.KIND, TaskDefinitions.key(deleting), deleting);
                    deleted.add(deleting);
                }
            }
            return DeleteTaskDefinitionsResponse.builder().taskDefinitions(deleted).failures(failures).build();
        });
    }

    /** The definition a registration describes, before it gets its revision and ARN. */
    private static TaskDefinition definitionOf(RegisterTaskDefinitionRequest request, String principal, Instant now) {
        String networkMode = RegistrationRules.networkMode(request);
        List<Attribute> required = RequiredAttributes.of(request, networkMode);
        Integer cpu = RegistrationRules.taskCpuUnits(request.cpu());
        Integer memory = RegistrationRules.taskMemoryMib(request.memory());
        TaskDefinition.Builder definition = TaskDefinition.builder()
                .family(request.family())
                .taskRoleArn(request.taskRoleArn())
                .executionRoleArn(request.executionRoleArn())
                .networkMode(request.networkModeAsString())
                .containerDefinitions(request.containerDefinitions().stream()
                        .map(container -> withDefaults(container, networkMode)).toList())
                // An unset list reads as absent in the SDK; ECS answers these two as empty lists.
                .volumes(List.copyOf(request.volumes()))
                .placementConstraints(List.copyOf(request.placementConstraints()))
                .compatibilitiesWithStrings(Compatibilities.of(request, networkMode, cpu, memory))
                .cpu(cpu == null ? null : cpu.toString())
                .memory(memory == null ? null : memory.toString())
                .pidMode(request.pidModeAsString())
                .ipcMode(request.ipcModeAsString())
                .proxyConfiguration(request.proxyConfiguration())
                .runtimePlatform(request.runtimePlatform())
                .ephemeralStorage(request.ephemeralStorage())
                .enableFaultInjection(request.enableFaultInjection())
                .status(TaskDefinitions.ACTIVE)
                .registeredAt(now)
                .registeredBy(principal);
        if (!required.isEmpty()) {
            definition.requiresAttributes(required);
        }
        if (request.hasRequiresCompatibilities()) {
            definition.requiresCompatibilitiesWithStrings(request.requiresCompatibilitiesAsStrings());
        }
        if (request.hasInferenceAccelerators()) {
            definition.inferenceAccelerators(request.inferenceAccelerators());
        }
        return definition.build();
    }

    /**
     * A container as ECS stores it: the members it fills in when absent (cpu 0, essential, empty
     * lists, the port mapping protocol and host port) are filled in; everything else is kept as sent.
     */
    private static ContainerDefinition withDefaults(ContainerDefinition container, String networkMode) {
        ContainerDefinition.Builder builder = container.toBuilder();
        if (container.cpu() == null) {
            builder.cpu(0);
        }
        if (container.essential() == null) {
            builder.essential(true);
        }
        builder.portMappings(container.portMappings().stream().map(m -> withDefaults(m, networkMode)).toList());
        if (!container.hasEnvironment()) {
            builder.environment(List.of());
        }
        if (!container.hasMountPoints()) {
            builder.mountPoints(List.of());
        }
        if (!container.hasVolumesFrom()) {
            builder.volumesFrom(List.of());
        }
        if (!container.hasSystemControls()) {
            builder.systemControls(List.of());
        }
        return builder.build();
    }

    private static PortMapping withDefaults(PortMapping mapping, String networkMode) {
        PortMapping.Builder builder = mapping.toBuilder();
        if (mapping.protocolAsString() == null) {
            builder.protocol("tcp");
        }
        if (mapping.containerPort() == null) {
            return builder.build();
        }
        boolean sharesPorts = "awsvpc".equals(networkMode) || "host".equals(networkMode);
        if (mapping.hostPort() == null || mapping.hostPort() == 0 && sharesPorts) {
            // Bridge mode picks a free host port when the task starts: ECS records that as 0. In awsvpc
            // and host mode the container port is the host port.
            builder.hostPort("bridge".equals(networkMode) ? 0 : mapping.containerPort());
        }
        return builder.build();
    }

    private static int lastRevision(Transaction tx, String family) {
        return tx.get(TaskDefinitions.FAMILY_KIND, family)
                .map(TaskDefinitions.Family::lastRevision)
                .orElseGet(() -> {
                    List<TaskDefinition> revisions = TaskDefinitions.revisions(tx.region(), family);
                    return revisions.isEmpty() ? 0 : revisions.get(revisions.size() - 1).revision();
                });
    }

    /** The revision a reference names, as this transaction sees it. */
    private static Optional<TaskDefinition> find(Transaction tx, String reference) {
        return TaskDefinitions.resolve(tx.region(), reference)
                .flatMap(found -> tx.get(TaskDefinitions.KIND, TaskDefinitions.key(found)));
    }

    /** Whether a reference names one revision ({@code family:revision} or an ARN with a revision). */
    private static boolean namesRevision(String reference) {
        if (reference == null || reference.isEmpty()) {
            return false;
        }
        String familyAndRevision = reference.startsWith("arn:")
                ? reference.substring(reference.lastIndexOf('/') + 1)
                : reference;
        return familyAndRevision.indexOf(':') > 0;
    }

    private static String familyStatus(Region region, String family) {
        boolean active = TaskDefinitions.revisions(region, family).stream()
                .anyMatch(t -> TaskDefinitions.ACTIVE.equals(t.statusAsString()));
        return active ? TaskDefinitions.ACTIVE : TaskDefinitions.INACTIVE;
    }

    private static boolean isDescending(String sort) {
        if (sort == null || "ASC".equals(sort)) {
            return false;
        }
        if ("DESC".equals(sort)) {
            return true;
        }
        throw EcsException.invalidParameter("Invalid sort '" + sort + "'. Valid values are ASC and DESC.");
    }

    /**
     * A string whose order is the reverse of the key's, so that {@link Paging} (which resumes after
     * the greatest key seen) pages a descending list: every character is mirrored, and a final
     * highest character makes a key sort after the longer keys it is a prefix of.
     */
    private static String reversedOrder(String key) {
        StringBuilder mirrored = new StringBuilder(key.length() + 1);
        for (int i = 0; i < key.length(); i++) {
            mirrored.append((char) (0xFFFE - key.charAt(i)));
        }
        return mirrored.append('\uFFFF').toString();
    }

    private static String arn(Scope scope, String family, int revision) {
        return scope.arn("task-definition/" + family + ":" + revision);
    }

    private static String arnOf(Scope scope, String reference) {
        return reference == null || reference.startsWith("arn:") ? reference
                : scope.arn("task-definition/" + reference);
    }

    private static Failure failure(String arn, String reason) {
        return Failure.builder().arn(arn).reason(reason).build();
    }

    private Instant now() {
        // Stored timestamps keep milliseconds; cutting here makes the answer equal what is stored.
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
