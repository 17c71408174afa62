package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A task in a {@link PayloadMessage}: {@code cpu} is in vCPUs, {@code memory} in MiB, {@code desiredStatus} is {@code RUNNING} or {@code STOPPED}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AcsTask(
        String arn,
        String taskClusterArn,
        List<AcsContainer> containers,
        String desiredStatus,
        String family,
        String overrides,
        String version,
        String zone,
        String taskDefinitionAccountId,
        List<AcsVolume> volumes,
        IamRoleCredentials roleCredentials,
        IamRoleCredentials executionRoleCredentials,
        Double cpu,
        Integer memory,
        String pidMode,
        String ipcMode,
        String agentConfiguration,
        String launchType,
        String networkMode,
        String serviceName,
        String group,
        Boolean enableFaultInjection,
        List<ElasticNetworkInterface> elasticNetworkInterfaces) {

    public AcsTask {
        containers = Immutable.list(containers);
        volumes = Immutable.list(volumes);
        elasticNetworkInterfaces = Immutable.list(elasticNetworkInterfaces);
    }

    /** The same task with the credentials of its task role and execution role. */
    public AcsTask withCredentials(IamRoleCredentials role, IamRoleCredentials execution) {
        return new AcsTask(arn, taskClusterArn, containers, desiredStatus, family, overrides, version, zone,
                taskDefinitionAccountId, volumes, role, execution, cpu, memory, pidMode, ipcMode, agentConfiguration,
                launchType, networkMode, serviceName, group, enableFaultInjection, elasticNetworkInterfaces);
    }
}
