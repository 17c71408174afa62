package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterContainsServicesException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.ListServicesResponse;
import software.amazon.awssdk.services.ecs.model.NamespaceNotFoundException;
import software.amazon.awssdk.services.ecs.model.PlatformUnknownException;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentNotFoundException;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.ServiceNotActiveException;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

class ServiceApiTest extends ApiTest {

    private static final Duration SCHEDULED = Duration.ofSeconds(15);

    /** A cluster with one agent-shaped instance and a small task definition of the family. */
    private static String clusterWithInstance(String cluster, String family) {
        ecs.createCluster(r -> r.clusterName(cluster));
        Instances.register(ecs, cluster);
        return register(family, "nginx:1");
    }

    private static String register(String family, String image) {
        return ecs.registerTaskDefinition(r -> r.family(family).containerDefinitions(ContainerDefinition.builder()
                .name("app").image(image).cpu(128).memory(128).essential(true).build()))
                .taskDefinition().taskDefinitionArn();
    }

    private static Service describe(String cluster, String service) {
        return ecs.describeServices(r -> r.cluster(cluster).services(service)).services().get(0);
    }

    private static List<String> serviceTasks(String cluster, String service) {
        return ecs.listTasks(r -> r.cluster(cluster).serviceName(service)).taskArns();
    }

    /** Plays the agent: reports every task of the service RUNNING. */
    private static void reportRunning(String cluster, String service) {
        for (String task : serviceTasks(cluster, service)) {
            ecs.submitTaskStateChange(r -> r.cluster(cluster).task(task).status("RUNNING"));
        }
    }

    @Test
    void createServiceAnswersTheServiceWithItsPrimaryDeployment() {
        String definition = clusterWithInstance("svc-create", "svc-create");

        Service service = ecs.createService(r -> r.cluster("svc-create").serviceName("web").taskDefinition("svc-create")
                .desiredCount(1).tags(Tag.builder().key("team").value("a").build())).service();

        assertThat(service.serviceArn()).isEqualTo("arn:aws:ecs:us-east-1:" + berth.accountId()
                + ":service/svc-create/web");
        assertThat(service.status()).isEqualTo("ACTIVE");
        assertThat(service.taskDefinition()).isEqualTo(definition);
        assertThat(service.schedulingStrategy()).isEqualTo(SchedulingStrategy.REPLICA);
        assertThat(service.launchTypeAsString()).isEqualTo("EC2");
        assertThat(service.deploymentConfiguration().maximumPercent()).isEqualTo(200);
        assertThat(service.deploymentConfiguration().minimumHealthyPercent()).isEqualTo(100);
        assertThat(service.deploymentConfiguration().deploymentCircuitBreaker().enable()).isFalse();
        assertThat(service.deploymentController().typeAsString()).isEqualTo("ECS");
        assertThat(service.deployments()).singleElement().satisfies(d -> {
            assertThat(d.id()).matches("ecs-svc/\\d{19}");
            assertThat(d.status()).isEqualTo("PRIMARY");
            assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);
            assertThat(d.taskDefinition()).isEqualTo(definition);
        });
        assertThat(service.tags()).extracting(Tag::key).containsExactly("team");
    }

    @Test
    void createServiceIsIdempotentOnlyForTheSameService() {
        clusterWithInstance("svc-idem", "svc-idem");
        Service first = ecs.createService(r -> r.cluster("svc-idem").serviceName("web").taskDefinition("svc-idem")
                .desiredCount(0)).service();

        Service again = ecs.createService(r -> r.cluster("svc-idem").serviceName("web").taskDefinition("svc-idem")
                .desiredCount(0)).service();

        assertThat(again.serviceArn()).isEqualTo(first.serviceArn());
        assertThat(again.deployments()).extracting(Deployment::id).isEqualTo(first.deployments().stream()
                .map(Deployment::id).toList());
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-idem").serviceName("web")
                .taskDefinition("svc-idem").desiredCount(5)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("not idempotent");
    }

    @Test
    void createServiceRefusesWhatECSRefusesOrWhatIsNotSupported() {
        clusterWithInstance("svc-bad", "svc-bad");

        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("absent").serviceName("web").taskDefinition("svc-bad")
                .desiredCount(1))).isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-bad").serviceName("bad name")
                .taskDefinition("svc-bad").desiredCount(1))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-bad").serviceName("web")
                .taskDefinition("no-such-family").desiredCount(1))).isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-bad").serviceName("web")
                .taskDefinition("svc-bad"))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-bad").serviceName("web")
                .taskDefinition("svc-bad").desiredCount(-1))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-bad").serviceName("web")
                .taskDefinition("svc-bad").desiredCount(1).schedulingStrategy(SchedulingStrategy.DAEMON)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-bad").serviceName("web")
                .taskDefinition("svc-bad").desiredCount(1).placementStrategy(p -> p.type("binpack").field("disk"))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-bad").serviceName("web")
                .taskDefinition("svc-bad").desiredCount(1).deploymentConfiguration(d -> d.minimumHealthyPercent(150))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-bad").serviceName("web")
                .taskDefinition("svc-bad").desiredCount(1).platformVersion("LATEST")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-bad").serviceName("web")
                .taskDefinition("svc-bad").desiredCount(1).launchType("FARGATE").platformVersion("0.0.1")))
                .isInstanceOf(PlatformUnknownException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-bad").serviceName("web")
                .taskDefinition("svc-bad").desiredCount(1)
                .deploymentConfiguration(d -> d.alarms(a -> a.enable(true).rollback(true).alarmNames("cpu")))))
                .isInstanceOf(UnsupportedFeatureException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-bad").serviceName("web")
                .taskDefinition("svc-bad").desiredCount(1).deploymentController(c -> c.type("CODE_DEPLOY"))))
                .isInstanceOf(UnsupportedFeatureException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-bad").serviceName("web")
                .taskDefinition("svc-bad").desiredCount(1)
                .loadBalancers(lb -> lb.targetGroupArn("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1")
                        .containerName("app").containerPort(80))))
                .isInstanceOf(UnsupportedFeatureException.class);
        assertThat(ecs.listServices(r -> r.cluster("svc-bad")).serviceArns()).isEmpty();
    }

    @Test
    void aServiceRunsItsTasksAndReachesASteadyState() {
        clusterWithInstance("svc-run", "svc-run");
        ecs.createService(r -> r.cluster("svc-run").serviceName("web").taskDefinition("svc-run").desiredCount(2));

        await().atMost(SCHEDULED).until(() -> serviceTasks("svc-run", "web").size() == 2);
        assertThat(describe("svc-run", "web").pendingCount()).isEqualTo(2);
        reportRunning("svc-run", "web");
        await().atMost(SCHEDULED).until(() -> describe("svc-run", "web").events().stream()
                .anyMatch(e -> e.message().equals("(service web) has reached a steady state.")));

        Service steady = describe("svc-run", "web");
        assertThat(steady.runningCount()).isEqualTo(2);
        assertThat(steady.pendingCount()).isZero();
        assertThat(steady.deployments().get(0).rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
        assertThat(steady.events()).anySatisfy(e -> assertThat(e.message()).startsWith("(service web) has started 2 tasks:"));
        assertThat(ecs.describeTasks(r -> r.cluster("svc-run").tasks(serviceTasks("svc-run", "web"))).tasks())
                .allSatisfy(t -> {
                    assertThat(t.group()).isEqualTo("service:web");
                    assertThat(t.startedBy()).isEqualTo(steady.deployments().get(0).id());
                });
        assertThat(ecs.describeClusters(r -> r.clusters("svc-run")).clusters().get(0).activeServicesCount()).isEqualTo(1);
    }

    @Test
    void aClusterWithServicesCannotBeDeleted() {
        ecs.createCluster(r -> r.clusterName("svc-busy"));
        register("svc-busy", "nginx:1");
        ecs.createService(r -> r.cluster("svc-busy").serviceName("web").taskDefinition("svc-busy").desiredCount(0));

        assertThatThrownBy(() -> ecs.deleteCluster(r -> r.cluster("svc-busy")))
                .isInstanceOf(ClusterContainsServicesException.class);
    }

    @Test
    void updatingTheTaskDefinitionStartsANewDeploymentWithARevision() {
        String rev1 = clusterWithInstance("svc-update", "svc-update");
        Service created = ecs.createService(r -> r.cluster("svc-update").serviceName("web").taskDefinition(rev1)
                .desiredCount(0)).service();
        String rev2 = register("svc-update", "nginx:2");

        Service updated = ecs.updateService(r -> r.cluster("svc-update").service("web").taskDefinition("svc-update"))
                .service();
        ListServiceDeploymentsResponse listed = ecs.listServiceDeployments(r -> r.cluster("svc-update").service("web"));
        DescribeServiceDeploymentsResponse described = ecs.describeServiceDeployments(r -> r.serviceDeploymentArns(
                listed.serviceDeployments().get(0).serviceDeploymentArn(), "arn:aws:ecs:us-east-1:"
                        + berth.accountId() + ":service-deployment/svc-update/web/1234"));
        List<ServiceRevision> revisions = ecs.describeServiceRevisions(r -> r.serviceRevisionArns(
                listed.serviceDeployments().stream().map(ServiceDeploymentBrief::targetServiceRevisionArn).toList()))
                .serviceRevisions();

        assertThat(updated.taskDefinition()).isEqualTo(rev2);
        assertThat(updated.deployments()).extracting(Deployment::status).containsExactly("PRIMARY", "ACTIVE");
        assertThat(updated.deployments().get(1).id()).isEqualTo(created.deployments().get(0).id());
        assertThat(listed.serviceDeployments()).hasSize(2);
        assertThat(listed.serviceDeployments().get(0).serviceDeploymentArn())
                .startsWith("arn:aws:ecs:us-east-1:" + berth.accountId() + ":service-deployment/svc-update/web/");
        assertThat(described.serviceDeployments()).singleElement().satisfies(sd -> {
            assertThat(sd.serviceArn()).isEqualTo(updated.serviceArn());
            assertThat(sd.sourceServiceRevisions()).hasSize(1);
        });
        assertThat(described.failures()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("MISSING"));
        assertThat(revisions).extracting(ServiceRevision::taskDefinition).containsExactly(rev2, rev1);
        await().atMost(SCHEDULED).until(() -> describe("svc-update", "web").deployments().size() == 1);
        assertThat(ecs.listServiceDeployments(r -> r.cluster("svc-update").service("web")
                .status(ServiceDeploymentStatus.SUCCESSFUL)).serviceDeployments())
                .extracting(ServiceDeploymentBrief::targetServiceRevisionArn)
                .contains(listed.serviceDeployments().get(0).targetServiceRevisionArn());
    }

    /** Plays the agents once: pending tasks of the cluster start, tasks to stop stop. */
    private static void agentsAct(String cluster) {
        for (String desired : List.of("RUNNING", "STOPPED")) {
            List<String> arns = ecs.listTasks(r -> r.cluster(cluster).desiredStatus(desired)).taskArns();
            if (arns.isEmpty()) {
                continue;
            }
            for (var task : ecs.describeTasks(r -> r.cluster(cluster).tasks(arns)).tasks()) {
                if (desired.equals("RUNNING") && task.lastStatus().equals("PENDING")) {
                    ecs.submitTaskStateChange(r -> r.cluster(cluster).task(task.taskArn()).status("RUNNING"));
                } else if (desired.equals("STOPPED") && !task.lastStatus().equals("STOPPED")) {
                    ecs.submitTaskStateChange(r -> r.cluster(cluster).task(task.taskArn()).status("STOPPED"));
                }
            }
        }
    }

    @Test
    void aRollingUpdateOverTheWireReplacesEveryTaskAndCompletes() {
        String rev1 = clusterWithInstance("svc-roll", "svc-roll");
        ecs.createService(r -> r.cluster("svc-roll").serviceName("web").taskDefinition(rev1).desiredCount(2)
                .deploymentConfiguration(d -> d.minimumHealthyPercent(50).maximumPercent(100)));
        await().atMost(SCHEDULED).until(() -> {
            agentsAct("svc-roll");
            return describe("svc-roll", "web").runningCount() == 2;
        });
        String rev2 = register("svc-roll", "nginx:2");

        Service updated = ecs.updateService(r -> r.cluster("svc-roll").service("web").taskDefinition(rev2)).service();
        await().atMost(SCHEDULED).until(() -> {
            agentsAct("svc-roll");
            Service now = describe("svc-roll", "web");
            return now.deployments().size() == 1
                    && now.deployments().get(0).rolloutState() == DeploymentRolloutState.COMPLETED;
        });

        Service done = describe("svc-roll", "web");
        assertThat(done.deployments().get(0).id()).isEqualTo(updated.deployments().get(0).id());
        assertThat(done.currentServiceDeployment()).isEqualTo(ecs.listServiceDeployments(r -> r.cluster("svc-roll")
                .service("web")).serviceDeployments().get(0).serviceDeploymentArn());
        assertThat(ecs.describeTasks(r -> r.cluster("svc-roll").tasks(serviceTasks("svc-roll", "web"))).tasks())
                .hasSize(2).allSatisfy(t -> assertThat(t.taskDefinitionArn()).isEqualTo(rev2));
    }

    @Test
    void forceNewDeploymentStartsADeploymentOfTheSameRevision() {
        String rev1 = clusterWithInstance("svc-force", "svc-force");
        ecs.createService(r -> r.cluster("svc-force").serviceName("web").taskDefinition(rev1).desiredCount(0));

        Service forced = ecs.updateService(r -> r.cluster("svc-force").service("web").forceNewDeployment(true)).service();
        Service scaled = ecs.updateService(r -> r.cluster("svc-force").service("web").desiredCount(0)).service();

        assertThat(forced.deployments()).hasSize(2).allSatisfy(d -> assertThat(d.taskDefinition()).isEqualTo(rev1));
        assertThat(scaled.deployments().get(0).id()).isEqualTo(forced.deployments().get(0).id());
    }

    @Test
    void updateServiceNamesAnActiveServiceAndValidConfiguration() {
        clusterWithInstance("svc-update-bad", "svc-update-bad");
        ecs.createService(r -> r.cluster("svc-update-bad").serviceName("web").taskDefinition("svc-update-bad")
                .desiredCount(0));
        ecs.createService(r -> r.cluster("svc-update-bad").serviceName("gone").taskDefinition("svc-update-bad")
                .desiredCount(0));
        ecs.deleteService(r -> r.cluster("svc-update-bad").service("gone"));

        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster("svc-update-bad").service("absent").desiredCount(1)))
                .isInstanceOf(ServiceNotFoundException.class);
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster("svc-update-bad").service("gone").desiredCount(1)))
                .isInstanceOf(ServiceNotActiveException.class);
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster("absent").service("web").desiredCount(1)))
                .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster("svc-update-bad").service("web").desiredCount(-1)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster("svc-update-bad").service("web")
                .taskDefinition("no-such-family"))).isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster("svc-update-bad").service("web")
                .deploymentConfiguration(d -> d.alarms(a -> a.enable(true).rollback(false).alarmNames("cpu")))))
                .isInstanceOf(UnsupportedFeatureException.class);
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster("svc-update-bad").service("web")
                .deploymentConfiguration(d -> d.maximumPercent(50))))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void deleteServiceDrainsItAndNeedsForceWhileScaledUp() {
        clusterWithInstance("svc-delete", "svc-delete");
        ecs.createService(r -> r.cluster("svc-delete").serviceName("web").taskDefinition("svc-delete").desiredCount(1));
        await().atMost(SCHEDULED).until(() -> serviceTasks("svc-delete", "web").size() == 1);

        assertThatThrownBy(() -> ecs.deleteService(r -> r.cluster("svc-delete").service("web")))
                .isInstanceOf(InvalidParameterException.class);
        Service deleted = ecs.deleteService(r -> r.cluster("svc-delete").service("web").force(true)).service();
        assertThat(deleted.status()).isEqualTo("DRAINING");
        assertThat(deleted.desiredCount()).isZero();
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("svc-delete").serviceName("web")
                .taskDefinition("svc-delete").desiredCount(1))).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Draining");
        await().atMost(SCHEDULED).until(() -> ecs.listTasks(r -> r.cluster("svc-delete").serviceName("web")
                .desiredStatus("STOPPED")).taskArns().size() == 1);
        String task = ecs.listTasks(r -> r.cluster("svc-delete").serviceName("web").desiredStatus("STOPPED"))
                .taskArns().get(0);
        ecs.submitTaskStateChange(r -> r.cluster("svc-delete").task(task).status("STOPPED"));
        await().atMost(SCHEDULED).until(() -> describe("svc-delete", "web").status().equals("INACTIVE"));

        assertThat(ecs.listServices(r -> r.cluster("svc-delete")).serviceArns()).isEmpty();
        assertThatThrownBy(() -> ecs.deleteService(r -> r.cluster("svc-delete").service("web")))
                .isInstanceOf(ServiceNotActiveException.class);
        assertThatThrownBy(() -> ecs.deleteService(r -> r.cluster("svc-delete").service("absent")))
                .isInstanceOf(ServiceNotFoundException.class);
        assertThat(ecs.createService(r -> r.cluster("svc-delete").serviceName("web").taskDefinition("svc-delete")
                .desiredCount(0)).service().status()).isEqualTo("ACTIVE");
    }

    @Test
    void servicesTakeTagsThroughTheTagOperations() {
        clusterWithInstance("svc-tags", "svc-tags");
        Service service = ecs.createService(r -> r.cluster("svc-tags").serviceName("web").taskDefinition("svc-tags")
                .desiredCount(0)).service();

        ecs.tagResource(r -> r.resourceArn(service.serviceArn()).tags(Tag.builder().key("env").value("prod").build()));

        assertThat(ecs.listTagsForResource(r -> r.resourceArn(service.serviceArn())).tags())
                .containsExactly(Tag.builder().key("env").value("prod").build());
        assertThat(ecs.describeServices(r -> r.cluster("svc-tags").services("web").include(ServiceField.TAGS))
                .services().get(0).tags()).extracting(Tag::key).containsExactly("env");
    }

    @Test
    void describeServicesReportsMissingOnesAndTagsOnlyWhenIncluded() {
        clusterWithInstance("svc-describe", "svc-describe");
        Service created = ecs.createService(r -> r.cluster("svc-describe").serviceName("web")
                .taskDefinition("svc-describe").desiredCount(0).tags(Tag.builder().key("k").value("v").build()))
                .service();

        DescribeServicesResponse plain = ecs.describeServices(r -> r.cluster("svc-describe")
                .services(created.serviceArn(), "absent"));
        DescribeServicesResponse tagged = ecs.describeServices(r -> r.cluster("svc-describe").services("web")
                .include(ServiceField.TAGS));

        assertThat(plain.services()).singleElement().satisfies(s -> assertThat(s.hasTags()).isFalse());
        assertThat(plain.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).endsWith(":service/svc-describe/absent");
            assertThat(f.reason()).isEqualTo("MISSING");
        });
        assertThat(tagged.services().get(0).tags()).containsExactly(Tag.builder().key("k").value("v").build());
        assertThatThrownBy(() -> ecs.describeServices(r -> r.cluster("svc-describe").services(List.of())))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.describeServices(r -> r.cluster("svc-describe")
                .services("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.describeServices(r -> r.cluster("absent").services("web")))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void listServicesPagesAndFilters() {
        clusterWithInstance("svc-list", "svc-list");
        for (int i = 0; i < 3; i++) {
            int n = i;
            ecs.createService(r -> r.cluster("svc-list").serviceName("s" + n).taskDefinition("svc-list").desiredCount(0));
        }
        ecs.createService(r -> r.cluster("svc-list").serviceName("daemon").taskDefinition("svc-list")
                .schedulingStrategy(SchedulingStrategy.DAEMON));

        ListServicesResponse first = ecs.listServices(r -> r.cluster("svc-list").maxResults(2));
        ListServicesResponse rest = ecs.listServices(r -> r.cluster("svc-list").nextToken(first.nextToken()));
        ListServicesResponse daemons = ecs.listServices(r -> r.cluster("svc-list")
                .schedulingStrategy(SchedulingStrategy.DAEMON));

        assertThat(first.serviceArns()).hasSize(2);
        assertThat(rest.serviceArns()).hasSize(2).doesNotContainAnyElementsOf(first.serviceArns());
        assertThat(rest.nextToken()).isNull();
        assertThat(daemons.serviceArns()).singleElement().satisfies(arn -> assertThat(arn).endsWith("/daemon"));
        assertThatThrownBy(() -> ecs.listServices(r -> r.cluster("svc-list").maxResults(101)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listServices(r -> r.cluster("absent")))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void stopServiceDeploymentNeedsOneInProgress() {
        String rev1 = clusterWithInstance("svc-stop", "svc-stop");
        ecs.createService(r -> r.cluster("svc-stop").serviceName("web").taskDefinition(rev1).desiredCount(0));
        await().atMost(SCHEDULED).until(() -> describe("svc-stop", "web").deployments().get(0).rolloutState()
                == DeploymentRolloutState.COMPLETED);
        String done = ecs.listServiceDeployments(r -> r.cluster("svc-stop").service("web")).serviceDeployments().get(0)
                .serviceDeploymentArn();

        assertThatThrownBy(() -> ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(done)))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(done).stopType("ABORT")))
                .isInstanceOf(UnsupportedFeatureException.class);
        assertThatThrownBy(() -> ecs.stopServiceDeployment(r -> r.serviceDeploymentArn("arn:aws:ecs:us-east-1:"
                + berth.accountId() + ":service-deployment/svc-stop/web/1")))
                .isInstanceOf(ServiceDeploymentNotFoundException.class);
    }

    @Test
    void serviceDeploymentsNeedAKnownService() {
        ecs.createCluster(r -> r.clusterName("svc-deployments"));

        assertThatThrownBy(() -> ecs.listServiceDeployments(r -> r.cluster("svc-deployments").service("absent")))
                .isInstanceOf(ServiceNotFoundException.class);
        assertThatThrownBy(() -> ecs.listServiceDeployments(r -> r.cluster("absent").service("web")))
                .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.describeServiceDeployments(r -> r.serviceDeploymentArns(List.of())))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.describeServiceRevisions(r -> r.serviceRevisionArns(List.of())))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(ecs.describeServiceRevisions(r -> r.serviceRevisionArns("arn:aws:ecs:us-east-1:"
                + berth.accountId() + ":service-revision/svc-deployments/web/1")).failures())
                .singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("MISSING"));
    }

    @Test
    void serviceConnectNamespacesAreNotAvailable() {
        ecs.createCluster(r -> r.clusterName("svc-namespace"));

        assertThatThrownBy(() -> ecs.listServicesByNamespace(r -> r.namespace("service-connect")))
                .isInstanceOf(NamespaceNotFoundException.class);
        assertThatThrownBy(() -> ecs.listServicesByNamespace(r -> r.namespace("")))
                .isInstanceOf(InvalidParameterException.class);
    }
}
