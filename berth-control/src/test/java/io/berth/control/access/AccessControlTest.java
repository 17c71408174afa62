package io.berth.control.access;

import static io.berth.control.access.AccessWorld.ALICE;
import static io.berth.control.access.AccessWorld.DEV;
import static io.berth.control.access.AccessWorld.CP;
import static io.berth.control.access.AccessWorld.I1;
import static io.berth.control.access.AccessWorld.JOB_1;
import static io.berth.control.access.AccessWorld.JOB_EXECUTION_ROLE;
import static io.berth.control.access.AccessWorld.JOB_TASK_ROLE;
import static io.berth.control.access.AccessWorld.ORIGIN;
import static io.berth.control.access.AccessWorld.PROD;
import static io.berth.control.access.AccessWorld.ROOT;
import static io.berth.control.access.AccessWorld.SCOPE;
import static io.berth.control.access.AccessWorld.T1;
import static io.berth.control.access.AccessWorld.WEB_1;
import static io.berth.control.access.AccessWorld.arn;
import static io.berth.control.access.AccessWorld.tag;
import static io.berth.control.access.IdentityPolicy.statement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.berth.control.Caller;
import io.berth.control.iam.AccessRequest;
import io.berth.control.iam.Authorizer;
import io.berth.control.iam.Decision;
import io.berth.control.taskdef.TaskDefinitions;
import io.berth.model.EcsException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.ClusterConfiguration;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CreateCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.CreateTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.DeleteCapacityProviderRequest;
import software.amazon.awssdk.services.ecs.model.DescribeClustersRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.EcsRequest;
import software.amazon.awssdk.services.ecs.model.ListAccountSettingsRequest;
import software.amazon.awssdk.services.ecs.model.ListClustersRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ManagedStorageConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.PutAccountSettingRequest;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.ServiceConnectConfiguration;
import software.amazon.awssdk.services.ecs.model.StartTaskRequest;
import software.amazon.awssdk.services.ecs.model.TagResourceRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import software.amazon.awssdk.services.ecs.model.TaskVolumeConfiguration;
import software.amazon.awssdk.services.ecs.model.UntagResourceRequest;
import software.amazon.awssdk.services.ecs.model.UpdateClusterRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServicePrimaryTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

class AccessControlTest {

    private static final String NAMESPACE = "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-1";
    private static final Authorizer NOTHING_ALLOWED = (caller, request) -> Decision.IMPLICIT_DENY;

    private final AccessWorld world = new AccessWorld();

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void runTaskIsAskedOnTheTaskDefinitionArnWithTheClusterArn() {
        AccessRequest request = single(RunTaskRequest.builder().cluster("prod").taskDefinition("web:1").build());

        assertThat(request.action()).isEqualTo("ecs:RunTask");
        assertThat(request.resource()).isEqualTo(WEB_1);
        assertThat(request.context()).containsEntry("ecs:cluster", List.of(PROD))
                .containsEntry("aws:ResourceTag/env", List.of("prod"))
                .containsEntry("ecs:ResourceTag/env", List.of("prod"));
    }

    @Test
    void aFamilyIsAskedOnTheRevisionItNamesAndNoClusterMeansDefault() {
        AccessRequest request = single(RunTaskRequest.builder().taskDefinition("web").build());

        // The revision the task would run, as the operation resolves it: a policy on web:1 cannot be passed
        // by naming the family alone, or the revision as 01.
        assertThat(request.resource()).isEqualTo(WEB_1);
        assertThat(single(RunTaskRequest.builder().taskDefinition("web:01").build()).resource()).isEqualTo(WEB_1);
        assertThat(single(RunTaskRequest.builder().taskDefinition("ghost").build()).resource())
                .isEqualTo(arn("task-definition/ghost"));
        assertThat(request.context()).containsEntry("ecs:cluster", List.of(arn("cluster/default")));
    }

    @Test
    void aResourceIsAskedOnTheArnOfWhatTheOperationActsOnWhateverFormNamesIt() {
        List<AccessRequest> requests = requests("DescribeTasks", DescribeTasksRequest.builder().cluster("prod")
                .tasks(arn("task/t1"), "elsewhere/t1", arn("task/prod/t1")).build());

        assertThat(requests).extracting(AccessRequest::resource).containsOnly(T1);
        assertThat(requests).allSatisfy(r -> assertThat(r.context()).containsEntry("aws:ResourceTag/env", List.of("prod")));
    }

    @Test
    void startTaskNamesItsContainerInstances() {
        AccessRequest request = single(StartTaskRequest.builder().cluster(PROD).taskDefinition(WEB_1)
                .containerInstances("i1").build());

        assertThat(request.context()).containsEntry("ecs:container-instances", List.of(I1));
    }

    @Test
    void describeTasksAsksOncePerTaskOnItsArnInTheCluster() {
        List<AccessRequest> requests = requests("DescribeTasks",
                DescribeTasksRequest.builder().cluster("prod").tasks("t1", arn("task/prod/t2")).build());

        assertThat(requests).extracting(AccessRequest::resource).containsExactly(T1, arn("task/prod/t2"));
        assertThat(requests).allSatisfy(r -> assertThat(r.context()).containsEntry("ecs:cluster", List.of(PROD)));
        assertThat(requests.get(0).context()).containsEntry("aws:ResourceTag/env", List.of("prod"));
        assertThat(requests.get(1).context()).doesNotContainKey("aws:ResourceTag/env");
    }

    @Test
    void aCallThatNamesNoneOfItsResourcesIsStillAsked() {
        assertThat(requests("DescribeTasks", DescribeTasksRequest.builder().cluster("prod").build()))
                .extracting(AccessRequest::action, AccessRequest::resource)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ecs:DescribeTasks", "*"));
    }

    @Test
    void aMissingResourceArnIsAskedOnAnyResource() {
        assertThat(single(TagResourceRequest.builder().tags(tag("env", "prod")).build()).resource()).isEqualTo("*");
    }

    @Test
    void tagOperationsCarryRequestTagsTagKeysAndTheResourceTags() {
        AccessRequest tagging = single(TagResourceRequest.builder().resourceArn(DEV)
                .tags(tag("team", "a"), tag("env", "prod")).build());
        AccessRequest untagging = single(UntagResourceRequest.builder().resourceArn(DEV).tagKeys("env").build());

        assertThat(tagging.context()).containsEntry("aws:RequestTag/team", List.of("a"))
                .containsEntry("aws:RequestTag/env", List.of("prod"))
                .containsEntry("aws:TagKeys", List.of("team", "env"))
                .containsEntry("aws:ResourceTag/env", List.of("dev"));
        assertThat(untagging.context()).containsEntry("aws:TagKeys", List.of("env"))
                .doesNotContainKey("aws:RequestTag/env");
    }

    @Test
    void registeringATaskDefinitionIsAskedOnTheRevisionItCreatesWithItsSize() {
        AccessRequest request = single(RegisterTaskDefinitionRequest.builder().family("web").cpu("0.5 vCPU")
                .memory("1 GB").requiresCompatibilities(Compatibility.EC2)
                .containerDefinitions(ContainerDefinition.builder().name("app").privileged(true).build()).build());

        assertThat(request.resource()).isEqualTo(arn("task-definition/web:2"));
        assertThat(request.context()).containsEntry("ecs:compute-compatibility", List.of("EC2"))
                .containsEntry("ecs:task-cpu", List.of("512"))
                .containsEntry("ecs:task-memory", List.of("1024"))
                .containsEntry("ecs:privileged", List.of("true"));
        assertThat(single(RegisterTaskDefinitionRequest.builder().family("new").cpu("256").memory("512").build())
                .context()).containsEntry("ecs:task-cpu", List.of("256"))
                .containsEntry("ecs:task-memory", List.of("512"))
                .doesNotContainKey("ecs:privileged");
        assertThat(single(RegisterTaskDefinitionRequest.builder().family("new").build()).resource())
                .isEqualTo(arn("task-definition/new:1"));
    }


    @Test
    void sizesThatAreNoNumberOfReasonableLengthGiveNoSizeKey() {
        for (String cpu : List.of("1e999999999 vcpu", "1e2147483647", "9".repeat(40))) {
            assertThat(single(RegisterTaskDefinitionRequest.builder().family("web").cpu(cpu).memory("512").build())
                    .context()).doesNotContainKey("ecs:task-cpu");
        }
    }
    @Test
    void registeringATaggedTaskDefinitionAlsoAsksToTagTheNewRevision() {
        List<AccessRequest> requests = requests("RegisterTaskDefinition",
                RegisterTaskDefinitionRequest.builder().family("web").tags(tag("env", "prod")).build());

        assertThat(requests).extracting(AccessRequest::action, AccessRequest::resource).containsExactly(
                tuple("ecs:RegisterTaskDefinition", arn("task-definition/web:2")),
                tuple("ecs:TagResource", arn("task-definition/web:2")));
        assertThat(requests.get(1).context()).containsEntry("ecs:CreateAction", List.of("RegisterTaskDefinition"))
                .containsEntry("aws:RequestTag/env", List.of("prod"));
    }

    @Test
    void registeringATaskDefinitionPassesItsRolesToEcsTasks() {
        List<AccessRequest> requests = requests("RegisterTaskDefinition", RegisterTaskDefinitionRequest.builder()
                .family("job").taskRoleArn(JOB_TASK_ROLE).executionRoleArn("job-exec").build());

        assertThat(requests).extracting(AccessRequest::action, AccessRequest::resource).containsExactly(
                tuple("ecs:RegisterTaskDefinition", arn("task-definition/job:2")),
                tuple("iam:PassRole", JOB_TASK_ROLE),
                tuple("iam:PassRole", JOB_EXECUTION_ROLE));
        assertThat(requests.get(1).context()).containsEntry("iam:PassedToService", List.of("ecs-tasks.amazonaws.com"));
        assertThat(requests("RegisterTaskDefinition", RegisterTaskDefinitionRequest.builder().family("job")
                .taskRoleArn(JOB_TASK_ROLE).executionRoleArn(JOB_TASK_ROLE).build()))
                .extracting(AccessRequest::action).containsExactly("ecs:RegisterTaskDefinition", "iam:PassRole");
    }

    @Test
    void startingTasksPassesTheRolesOfTheTaskDefinitionOrOfTheOverrides() {
        assertThat(requests("RunTask", RunTaskRequest.builder().cluster("prod").taskDefinition("job").build()))
                .extracting(AccessRequest::action, AccessRequest::resource).containsExactly(
                        tuple("ecs:RunTask", JOB_1), tuple("iam:PassRole", JOB_TASK_ROLE),
                        tuple("iam:PassRole", JOB_EXECUTION_ROLE));
        assertThat(requests("StartTask", StartTaskRequest.builder().cluster("prod").taskDefinition(JOB_1)
                .containerInstances("i1").overrides(TaskOverride.builder().taskRoleArn("other").build()).build()))
                .extracting(AccessRequest::resource)
                .containsExactly(JOB_1, "arn:aws:iam::123456789012:role/other", JOB_EXECUTION_ROLE);
    }

    @Test
    void aBareFamilyPassesTheRolesOfItsLatestActiveRevision() {
        putJobRevision(2, "ACTIVE", "job-task-2");
        assertThat(requests("RunTask", RunTaskRequest.builder().cluster("prod").taskDefinition("job").build()))
                .extracting(AccessRequest::resource).contains("arn:aws:iam::123456789012:role/job-task-2");

        putJobRevision(3, "INACTIVE", "job-task-3");
        assertThat(requests("RunTask", RunTaskRequest.builder().cluster("prod").taskDefinition("job").build()))
                .extracting(AccessRequest::resource).contains("arn:aws:iam::123456789012:role/job-task-2")
                .doesNotContain("arn:aws:iam::123456789012:role/job-task-3");
    }

    private void putJobRevision(int revision, String status, String taskRole) {
        world.state.write(AccessWorld.SCOPE, tx -> {
            tx.put(TaskDefinitions.KIND, TaskDefinitions.key("job", revision), TaskDefinition.builder().family("job")
                    .revision(revision).taskDefinitionArn(arn("task-definition/job:" + revision)).status(status)
                    .taskRoleArn("arn:aws:iam::123456789012:role/" + taskRole).build());
            tx.put(TaskDefinitions.FAMILY_KIND, "job", new TaskDefinitions.Family("job", revision));
            return null;
        });
    }

    @Test
    void aUserWhoMayRunTasksButNotPassTheirRolesIsRefused() {
        EcsRequest runJob = RunTaskRequest.builder().cluster("prod").taskDefinition("job:1").build();

        assertThatThrownBy(() -> world.access(IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:*', 'Resource': '*'}")))
                .authorize(ALICE, "RunTask", runJob, ORIGIN))
                .hasMessage("User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:PassRole"
                        + " on resource: " + JOB_TASK_ROLE + " because no identity-based policy allows the"
                        + " iam:PassRole action");
        world.access(IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:*', 'Resource': '*'}"),
                statement("{'Effect': 'Allow', 'Action': 'iam:PassRole', 'Resource': 'arn:aws:iam::*:role/job-*',"
                        + " 'Condition': {'StringEquals': {'iam:PassedToService': 'ecs-tasks.amazonaws.com'}}}")))
                .authorize(ALICE, "RunTask", runJob, ORIGIN);
    }

    @Test
    void startingTasksSaysWhetherExecuteCommandAndEbsVolumesAreEnabled() {
        AccessRequest plain = single(RunTaskRequest.builder().cluster("prod").taskDefinition("web:1").build());
        AccessRequest enabled = single(RunTaskRequest.builder().cluster("prod").taskDefinition("web:1")
                .enableExecuteCommand(true).volumeConfigurations(TaskVolumeConfiguration.builder().name("data").build())
                .build());
        AccessRequest started = single(StartTaskRequest.builder().cluster("prod").taskDefinition("web:1")
                .containerInstances("i1").enableExecuteCommand(true).build());

        assertThat(plain.context()).containsEntry("ecs:enable-execute-command", List.of("false"))
                .containsEntry("ecs:enable-ebs-volumes", List.of("false"));
        assertThat(enabled.context()).containsEntry("ecs:enable-execute-command", List.of("true"))
                .containsEntry("ecs:enable-ebs-volumes", List.of("true"));
        assertThat(started.context()).containsEntry("ecs:enable-execute-command", List.of("true"));
    }

    @Test
    void startingTaggedTasksAlsoAsksToTagEveryNewTaskOfTheCluster() {
        List<AccessRequest> run = requests("RunTask", RunTaskRequest.builder().cluster("prod").taskDefinition("web:1")
                .tags(tag("env", "prod")).build());
        List<AccessRequest> start = requests("StartTask", StartTaskRequest.builder().cluster("prod")
                .taskDefinition("web:1").containerInstances("i1").tags(tag("env", "prod")).build());

        assertThat(run).extracting(AccessRequest::action, AccessRequest::resource).containsExactly(
                tuple("ecs:RunTask", WEB_1), tuple("ecs:TagResource", arn("task/prod/*")));
        assertThat(run.get(1).context()).containsEntry("ecs:CreateAction", List.of("RunTask"))
                .containsEntry("aws:TagKeys", List.of("env"));
        assertThat(start.get(1).context()).containsEntry("ecs:CreateAction", List.of("StartTask"));
    }

    @Test
    void registeringATaggedContainerInstanceAlsoAsksToTagIt() {
        List<AccessRequest> requests = requests("RegisterContainerInstance", RegisterContainerInstanceRequest
                .builder().cluster("prod").tags(tag("team", "a")).build());

        assertThat(requests).extracting(AccessRequest::action, AccessRequest::resource).containsExactly(
                tuple("ecs:RegisterContainerInstance", PROD),
                tuple("ecs:TagResource", arn("container-instance/prod/*")));
        assertThat(requests.get(1).context()).containsEntry("ecs:CreateAction", List.of("RegisterContainerInstance"));
    }

    @Test
    void creatingATaggedTaskSetAlsoAsksToTagIt() {
        List<AccessRequest> requests = requests("CreateTaskSet", CreateTaskSetRequest.builder().cluster("prod")
                .service("api").taskDefinition("web:1").tags(tag("env", "prod")).build());

        assertThat(requests).extracting(AccessRequest::action, AccessRequest::resource).containsExactly(
                tuple("ecs:CreateTaskSet", arn("task-set/prod/api/*")),
                tuple("ecs:TagResource", arn("task-set/prod/api/*")));
        assertThat(requests.get(1).context()).containsEntry("ecs:CreateAction", List.of("CreateTaskSet"));
    }

    @Test
    void listingTheTasksOfAClusterIsAskedOnAnyResourceAndOfAnInstanceOnTheInstance() {
        AccessRequest ofCluster = single(ListTasksRequest.builder().cluster("prod").build());
        AccessRequest ofInstance = single(ListTasksRequest.builder().cluster("prod").containerInstance("i1").build());

        assertThat(ofCluster.resource()).isEqualTo("*");
        assertThat(ofCluster.context()).containsEntry("ecs:cluster", List.of(PROD));
        assertThat(ofInstance.resource()).isEqualTo(I1);
        assertThat(ofInstance.context()).containsEntry("ecs:cluster", List.of(PROD));
    }

    @Test
    void creatingAClusterNamesItsCapacityProvidersAndEphemeralStorageKey() {
        ClusterConfiguration storage = ClusterConfiguration.builder().managedStorageConfiguration(
                ManagedStorageConfiguration.builder().fargateEphemeralStorageKmsKeyId("key-1").build()).build();

        assertThat(single(CreateClusterRequest.builder().clusterName("new").capacityProviders("cp")
                .configuration(storage).build()).context())
                .containsEntry("ecs:capacity-provider", List.of(CP))
                .containsEntry("ecs:fargate-ephemeral-storage-kms-key", List.of("key-1"));
        assertThat(single(UpdateClusterRequest.builder().cluster("prod").configuration(storage).build()).context())
                .containsEntry("ecs:fargate-ephemeral-storage-kms-key", List.of("key-1"));
    }

    @Test
    void aCapacityProviderOfAClusterIsAlsoAChangeToTheClustersProviders() {
        assertThat(requests("CreateCapacityProvider", CreateCapacityProviderRequest.builder().name("mi")
                .cluster("prod").build())).extracting(AccessRequest::action, AccessRequest::resource).containsExactly(
                        tuple("ecs:CreateCapacityProvider", arn("capacity-provider/mi")),
                        tuple("ecs:PutClusterCapacityProviders", PROD));
        assertThat(requests("DeleteCapacityProvider", DeleteCapacityProviderRequest.builder().capacityProvider("cp")
                .cluster("prod").build())).extracting(AccessRequest::action)
                .containsExactly("ecs:DeleteCapacityProvider", "ecs:PutClusterCapacityProviders");
    }

    @Test
    void creatingAServiceCarriesItsSettingsAndPassesItsRole() {
        List<AccessRequest> requests = requests("CreateService", CreateServiceRequest.builder().cluster("prod")
                .serviceName("web").taskDefinition("web:1").enableExecuteCommand(true).enableECSManagedTags(true)
                .propagateTags(PropagateTags.SERVICE).role("ecsServiceRole")
                .serviceConnectConfiguration(ServiceConnectConfiguration.builder().enabled(true)
                        .namespace(NAMESPACE).build())
                .networkConfiguration(NetworkConfiguration.builder().awsvpcConfiguration(AwsVpcConfiguration
                        .builder().subnets("subnet-1").assignPublicIp(AssignPublicIp.ENABLED).build()).build())
                .build());

        assertThat(requests).extracting(AccessRequest::action, AccessRequest::resource).containsExactly(
                tuple("ecs:CreateService", arn("service/prod/web")),
                tuple("iam:PassRole", "arn:aws:iam::123456789012:role/ecsServiceRole"));
        assertThat(requests.get(0).context()).containsEntry("ecs:enable-execute-command", List.of("true"))
                .containsEntry("ecs:enable-ecs-managed-tags", List.of("true"))
                .containsEntry("ecs:enable-ebs-volumes", List.of("false"))
                .containsEntry("ecs:enable-vpc-lattice", List.of("false"))
                .containsEntry("ecs:propagate-tags", List.of("SERVICE"))
                .containsEntry("ecs:enable-service-connect", List.of("true"))
                .containsEntry("ecs:namespace", List.of(NAMESPACE))
                .containsEntry("ecs:subnet", List.of("subnet-1"))
                .containsEntry("ecs:auto-assign-public-ip", List.of("true"));
        assertThat(requests.get(1).context()).containsEntry("iam:PassedToService", List.of("ecs.amazonaws.com"));
    }

    @Test
    void updatingAServiceCarriesOnlyTheSettingsItChanges() {
        AccessRequest request = single(UpdateServiceRequest.builder().cluster("prod").service("api")
                .enableExecuteCommand(false).build());

        assertThat(request.context()).containsEntry("ecs:enable-execute-command", List.of("false"))
                .doesNotContainKeys("ecs:enable-ecs-managed-tags", "ecs:enable-ebs-volumes", "ecs:enable-vpc-lattice",
                        "ecs:propagate-tags");
    }

    @Test
    void aServiceDeploymentIsAskedOnItsServiceAndOnItself() {
        String deployment = arn("service-deployment/prod/api/d1");
        List<AccessRequest> requests = requests("DescribeServiceDeployments",
                DescribeServiceDeploymentsRequest.builder().serviceDeploymentArns(deployment).build());

        assertThat(requests).extracting(AccessRequest::resource).containsExactly(AccessWorld.API, deployment);
        assertThat(requests.get(0).context()).containsEntry("ecs:cluster", List.of(PROD))
                .containsEntry("aws:ResourceTag/env", List.of("prod"));
        assertThat(requests.get(1).context()).containsEntry("ecs:cluster", List.of(PROD))
                .containsEntry("ecs:service", List.of(AccessWorld.API));
    }

    @Test
    void makingATaskSetPrimaryIsAskedOnTheServiceWithOnlyItsCluster() {
        AccessRequest request = single(UpdateServicePrimaryTaskSetRequest.builder().cluster("prod").service("api")
                .primaryTaskSet("ts1").build());

        assertThat(request.resource()).isEqualTo(AccessWorld.API);
        assertThat(request.context()).containsEntry("ecs:cluster", List.of(PROD)).doesNotContainKey("ecs:service");
    }

    @Test
    void onlyChangingAnAccountSettingNamesIt() {
        assertThat(single(PutAccountSettingRequest.builder().name("containerInsights").value("enabled").build())
                .context()).containsEntry("ecs:account-setting", List.of("containerInsights"));
        assertThat(single(ListAccountSettingsRequest.builder().name("containerInsights").build()).context())
                .doesNotContainKey("ecs:account-setting");
    }

    @Test
    void creatingATaggedClusterAlsoAsksToTagIt() {
        List<AccessRequest> requests = requests("CreateCluster",
                CreateClusterRequest.builder().clusterName("new").tags(tag("env", "prod")).build());

        assertThat(requests).extracting(AccessRequest::action).containsExactly("ecs:CreateCluster", "ecs:TagResource");
        assertThat(requests).extracting(AccessRequest::resource).containsOnly(arn("cluster/new"));
        assertThat(requests.get(1).context()).containsEntry("ecs:CreateAction", List.of("CreateCluster"));
    }

    @Test
    void everyRequestCarriesTheGlobalConditionKeys() {
        AccessRequest request = single(ListClustersRequest.builder().build());

        assertThat(request.resource()).isEqualTo("*");
        assertThat(request.context())
                .containsEntry("aws:SourceIp", List.of("192.0.2.10"))
                .containsEntry("aws:SecureTransport", List.of("false"))
                .containsEntry("aws:CurrentTime", List.of("2026-11-25T12:00:00Z"))
                .containsEntry("aws:EpochTime", List.of(Long.toString(AccessWorld.NOW.getEpochSecond())))
                .containsEntry("aws:PrincipalArn", List.of(ALICE.principalArn()))
                .containsEntry("aws:PrincipalAccount", List.of("123456789012"))
                .containsEntry("aws:RequestedRegion", List.of("us-east-1"))
                .containsEntry("aws:username", List.of("alice"));
    }

    @Test
    void policiesMayTestTheSourceAddressTransportAndTime() {
        AccessControl access = world.access(IdentityPolicy.of(statement(
                "{'Effect': 'Allow', 'Action': 'ecs:ListClusters', 'Resource': '*', 'Condition': {"
                        + " 'IpAddress': {'aws:SourceIp': '192.0.2.0/24'},"
                        + " 'Bool': {'aws:SecureTransport': 'true'},"
                        + " 'DateLessThan': {'aws:CurrentTime': '2027-01-01T00:00:00Z'}}}")));
        EcsRequest listClusters = ListClustersRequest.builder().build();

        access.authorize(ALICE, "ListClusters", listClusters, new RequestOrigin("192.0.2.10", true));
        assertThatThrownBy(() -> access.authorize(ALICE, "ListClusters", listClusters,
                new RequestOrigin("198.51.100.7", true))).isInstanceOf(EcsException.class);
        assertThatThrownBy(() -> access.authorize(ALICE, "ListClusters", listClusters,
                new RequestOrigin("192.0.2.10", false))).isInstanceOf(EcsException.class);
    }

    @Test
    void aRefusalNamesTheUserActionAndResourceAsAwsDoes() {
        AccessControl access = world.access(IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:Describe*', 'Resource': '*'}")));

        assertThatThrownBy(() -> access.authorize(ALICE, "RunTask",
                RunTaskRequest.builder().cluster("prod").taskDefinition("web:1").build(), ORIGIN))
                .isInstanceOfSatisfying(EcsException.class, e -> {
                    assertThat(e.code()).isEqualTo("AccessDeniedException");
                    assertThat(e.httpStatus()).isEqualTo(400);
                })
                .hasMessage("User: arn:aws:iam::123456789012:user/alice is not authorized to perform: ecs:RunTask"
                        + " on resource: arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"
                        + " because no identity-based policy allows the ecs:RunTask action");
    }

    @Test
    void anExplicitDenyIsReportedBeforeAMissingAllow() {
        AccessControl access = world.access(IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:*', 'Resource': '" + PROD + "'}"),
                statement("{'Effect': 'Deny', 'Action': 'ecs:DescribeClusters', 'Resource': '" + DEV + "'}")));

        assertThatThrownBy(() -> access.authorize(ALICE, "DescribeClusters",
                DescribeClustersRequest.builder().clusters("other", "dev").build(), ORIGIN))
                .hasMessage("User: arn:aws:iam::123456789012:user/alice is not authorized to perform:"
                        + " ecs:DescribeClusters on resource: " + DEV
                        + " with an explicit deny in an identity-based policy");
    }

    @Test
    void describingSeveralResourcesIsRefusedWholeWhenOneIsDenied() {
        AccessControl access = world.access(IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': 'ecs:DescribeClusters', 'Resource': '" + PROD + "'}")));

        assertThatThrownBy(() -> access.authorize(ALICE, "DescribeClusters",
                DescribeClustersRequest.builder().clusters("prod", "dev").build(), ORIGIN))
                .hasMessageContaining("on resource: " + DEV + " because");
        access.authorize(ALICE, "DescribeClusters", DescribeClustersRequest.builder().clusters("prod").build(), ORIGIN);
    }

    @Test
    void theAccountRootIsNeverAsked() {
        RecordingAuthorizer nothing = new RecordingAuthorizer(NOTHING_ALLOWED);

        world.access(nothing).authorize(ROOT, "RunTask", RunTaskRequest.builder().taskDefinition("web:1").build(),
                ORIGIN);

        assertThat(nothing.decided()).isEmpty();
    }

    @Test
    void anotherAccountsRootIsNotThisAccountsRoot() {
        Caller otherRoot = new Caller(SCOPE, "arn:aws:iam::210987654321:root");

        assertThatThrownBy(() -> world.access(NOTHING_ALLOWED).authorize(otherRoot, "ListClusters",
                ListClustersRequest.builder().build(), ORIGIN)).hasMessageContaining("ecs:ListClusters on resource: *");
    }

    @Test
    void anOperationWithoutARuleIsRefused() {
        assertThatThrownBy(() -> world.access(IdentityPolicy.of(
                statement("{'Effect': 'Allow', 'Action': '*', 'Resource': '*'}"))).authorize(ALICE, "ExecuteCommand",
                ListClustersRequest.builder().build(), ORIGIN))
                .hasMessageContaining("ecs:ExecuteCommand on resource: *");
    }

    @Test
    void agentSessionsAreAskedOnTheContainerInstanceWithTheCluster() {
        RecordingAuthorizer agent = new RecordingAuthorizer(IdentityPolicy.of(statement(
                "{'Effect': 'Allow', 'Action': 'ecs:Poll', 'Resource': '*',"
                        + " 'Condition': {'ArnEquals': {'ecs:cluster': '" + PROD + "'}}}")));
        AccessControl access = world.access(agent);

        access.authorizeAgentSession(ALICE, AccessControl.AgentSession.ACS, "prod", I1, ORIGIN);

        assertThat(agent.decided()).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo("ecs:Poll");
            assertThat(r.resource()).isEqualTo(I1);
            assertThat(r.context()).containsEntry("aws:ResourceTag/env", List.of("prod"));
        });
        assertThatThrownBy(() -> access.authorizeAgentSession(ALICE, AccessControl.AgentSession.TELEMETRY, PROD, I1,
                ORIGIN)).hasMessageContaining("ecs:StartTelemetrySession on resource: " + I1);
    }

    private AccessRequest single(EcsRequest request) {
        String operation = request.getClass().getSimpleName().replaceFirst("Request$", "");
        List<AccessRequest> requests = requests(operation, request);
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private List<AccessRequest> requests(String operation, EcsRequest request) {
        return world.access(NOTHING_ALLOWED).requests(ALICE, operation, request, ORIGIN);
    }
}
