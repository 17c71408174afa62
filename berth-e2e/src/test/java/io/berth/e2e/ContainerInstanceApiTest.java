package io.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.control.iam.AccessKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.AttributeLimitExceededException;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceField;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.DescribeContainerInstancesResponse;
import software.amazon.awssdk.services.ecs.model.DiscoverPollEndpointResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListContainerInstancesResponse;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.UpdateContainerInstancesStateResponse;

class ContainerInstanceApiTest extends ApiTest {

    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    /** A fresh cluster for one test, so that tests do not see each other's instances. */
    private static String newCluster() {
        String name = "instances-" + CLUSTERS.incrementAndGet();
        ecs.createCluster(r -> r.clusterName(name));
        return name;
    }

    @Test
    void registrationEchoesEveryRequestedAttributeAsTheAgentRequires() {
        String cluster = newCluster();

        ContainerInstance instance = Instances.register(ecs, cluster);

        List<Attribute> requested = Instances.agentAttributes();
        assertThat(instance.attributes()).extracting(Attribute::name, Attribute::value)
                .containsAll(requested.stream().map(a -> tuple(a.name(), a.value())).toList());
        assertThat(instance.attributes()).filteredOn(a -> a.name().equals("ecs.capability.container-ordering"))
                .singleElement().satisfies(a -> assertThat(a.value()).isNull());
    }

    @Test
    void aNewInstanceIsActiveWithAllItsResourcesRemaining() {
        String cluster = newCluster();
        Instant before = Instant.now().minusSeconds(1);

        ContainerInstance instance = Instances.register(ecs, cluster);

        assertThat(instance.containerInstanceArn()).matches(
                "arn:aws:ecs:us-east-1:" + berth.accountId() + ":container-instance/" + cluster + "/[0-9a-f]{32}");
        assertThat(instance.status()).isEqualTo("ACTIVE");
        assertThat(instance.agentConnected()).isFalse();
        assertThat(instance.version()).isEqualTo(1L);
        assertThat(instance.runningTasksCount()).isZero();
        assertThat(instance.pendingTasksCount()).isZero();
        assertThat(instance.registeredAt()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(instance.remainingResources()).isEqualTo(instance.registeredResources());
        assertThat(Instances.resource(instance.registeredResources(), "CPU").integerValue()).isEqualTo(Instances.CPU);
        assertThat(Instances.resource(instance.registeredResources(), "PORTS").stringSetValue())
                .containsExactlyInAnyOrderElementsOf(Instances.RESERVED_PORTS);
        assertThat(instance.agentUpdateStatus()).isNull();
        assertThat(instance.capacityProviderName()).isNull();
    }

    @Test
    void theIdentityDocumentGivesTheEc2InstanceAndItsBuiltInAttributes() {
        String cluster = newCluster();
        String document = Instances.identityDocument("i-0aa11bb22cc33dd44", "us-east-1c", "m5.large", "ami-0abc");

        ContainerInstance instance = Instances.register(ecs, cluster, r -> r.instanceIdentityDocument(document));
        ContainerInstance again = Instances.register(ecs, cluster, r -> r.instanceIdentityDocument(document));

        assertThat(instance.ec2InstanceId()).isEqualTo("i-0aa11bb22cc33dd44");
        assertThat(instance.attributes()).extracting(Attribute::name, Attribute::value).contains(
                tuple("ecs.availability-zone", "us-east-1c"),
                tuple("ecs.instance-type", "m5.large"),
                tuple("ecs.ami-id", "ami-0abc"));
        assertThat(again.containerInstanceArn()).isEqualTo(instance.containerInstanceArn());
        assertThat(ecs.listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns()).hasSize(1);
    }

    @Test
    void reRegistrationWithTheArnUpdatesTheSameInstance() {
        String cluster = newCluster();
        ContainerInstance first = Instances.register(ecs, cluster);

        ContainerInstance again = Instances.register(ecs, cluster, r -> r
                .containerInstanceArn(first.containerInstanceArn())
                .totalResources(Instances.integer("CPU", 4096), Instances.integer("MEMORY", 7680),
                        Instances.stringSet("PORTS", Instances.RESERVED_PORTS),
                        Instances.stringSet("PORTS_UDP", List.of())));

        assertThat(again.containerInstanceArn()).isEqualTo(first.containerInstanceArn());
        assertThat(again.version()).isEqualTo(2L);
        assertThat(again.registeredAt()).isEqualTo(first.registeredAt());
        assertThat(Instances.resource(again.remainingResources(), "CPU").integerValue()).isEqualTo(4096);
        assertThat(ecs.listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns())
                .containsExactly(first.containerInstanceArn());
    }

    @Test
    void registrationNamesTheClusterByNameOrArn() {
        String cluster = newCluster();
        String clusterArn = ecs.describeClusters(r -> r.clusters(cluster)).clusters().get(0).clusterArn();

        ContainerInstance instance = Instances.register(ecs, clusterArn);

        assertThat(instance.containerInstanceArn()).contains(":container-instance/" + cluster + "/");
        assertThat(ecs.describeClusters(r -> r.clusters(cluster)).clusters().get(0).registeredContainerInstancesCount())
                .isEqualTo(1);
    }

    @Test
    void badRegistrationsAreRefused() {
        String cluster = newCluster();

        assertThatThrownBy(() -> Instances.register(ecs, "no-such-cluster"))
                .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> Instances.register(ecs, cluster, r -> r.attributes(
                Attribute.builder().name("not valid!").value("x").build())))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> Instances.register(ecs, cluster, r -> r.totalResources(
                Resource.builder().name("MEMORY").type("STRINGSET").stringSetValue("1").build())))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> Instances.register(ecs, cluster, r -> r.instanceIdentityDocument("{broken")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> Instances.register(ecs, cluster, r -> r.tags(Tag.builder().key("aws:x").value("y").build())))
                .isInstanceOf(InvalidParameterException.class);
        List<Attribute> custom = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            custom.add(Attribute.builder().name("custom" + i).value("v").build());
        }
        assertThatThrownBy(() -> Instances.register(ecs, cluster, r -> r.attributes(custom)))
                .isInstanceOf(AttributeLimitExceededException.class);
        assertThat(ecs.listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns()).isEmpty();
    }

    @Test
    void describeAcceptsIdsAndArnsAndReportsUnknownOnesAsMissing() {
        String cluster = newCluster();
        ContainerInstance instance = Instances.register(ecs, cluster);
        String id = instance.containerInstanceArn().substring(instance.containerInstanceArn().lastIndexOf('/') + 1);

        DescribeContainerInstancesResponse response = ecs.describeContainerInstances(r -> r.cluster(cluster)
                .containerInstances(id, instance.containerInstanceArn(), "0123456789abcdef0123456789abcdef"));

        assertThat(response.containerInstances()).extracting(ContainerInstance::containerInstanceArn)
                .containsExactly(instance.containerInstanceArn(), instance.containerInstanceArn());
        assertThat(response.failures()).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("MISSING");
            assertThat(f.arn()).endsWith(":container-instance/" + cluster + "/0123456789abcdef0123456789abcdef");
        });
    }

    @Test
    void describeShowsTagsOnlyWhenIncluded() {
        String cluster = newCluster();
        ContainerInstance instance = Instances.register(ecs, cluster,
                r -> r.tags(Tag.builder().key("team").value("core").build()));

        ContainerInstance plain = ecs.describeContainerInstances(r -> r.cluster(cluster)
                .containerInstances(instance.containerInstanceArn())).containerInstances().get(0);
        ContainerInstance tagged = ecs.describeContainerInstances(r -> r.cluster(cluster)
                .containerInstances(instance.containerInstanceArn()).include(ContainerInstanceField.TAGS))
                .containerInstances().get(0);

        assertThat(plain.hasTags()).isFalse();
        assertThat(tagged.tags()).containsExactly(Tag.builder().key("team").value("core").build());
    }

    @Test
    void badDescribesAreRefused() {
        String cluster = newCluster();
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add("id" + i);
        }

        assertThatThrownBy(() -> ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(tooMany)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.describeContainerInstances(r -> r.cluster(cluster)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.describeContainerInstances(r -> r.cluster("no-such-cluster").containerInstances("x")))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void deregisteredInstancesStayDescribableButAreNotListed() {
        String cluster = newCluster();
        ContainerInstance instance = Instances.register(ecs, cluster);

        ContainerInstance deregistered = ecs.deregisterContainerInstance(r -> r.cluster(cluster)
                .containerInstance(instance.containerInstanceArn())).containerInstance();

        assertThat(deregistered.status()).isEqualTo("INACTIVE");
        assertThat(ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(instance.containerInstanceArn()))
                .containerInstances().get(0).status()).isEqualTo("INACTIVE");
        assertThat(ecs.listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns()).isEmpty();
        assertThat(ecs.describeClusters(r -> r.clusters(cluster)).clusters().get(0).registeredContainerInstancesCount())
                .isZero();
        assertThat(ecs.deleteCluster(r -> r.cluster(cluster)).cluster().status()).isEqualTo("INACTIVE");
    }

    @Test
    void badDeregistrationsAreRefused() {
        String cluster = newCluster();
        ContainerInstance instance = Instances.register(ecs, cluster);
        ecs.deregisterContainerInstance(r -> r.cluster(cluster).containerInstance(instance.containerInstanceArn()));

        assertThatThrownBy(() -> ecs.deregisterContainerInstance(r -> r.cluster(cluster)
                .containerInstance(instance.containerInstanceArn())))
                .isInstanceOf(ClientException.class).hasMessageContaining("is inactive");
        assertThatThrownBy(() -> ecs.deregisterContainerInstance(r -> r.cluster(cluster)
                .containerInstance("0123456789abcdef0123456789abcdef")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.deregisterContainerInstance(r -> r.cluster("no-such-cluster")
                .containerInstance("0123456789abcdef0123456789abcdef")))
                .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.registerContainerInstance(Instances.agentRegistration(cluster,
                r -> r.containerInstanceArn(instance.containerInstanceArn()))))
                .isInstanceOf(ClientException.class).hasMessageContaining("is inactive");
    }

    @Test
    void listShowsActiveAndDrainingByDefaultAndFiltersByStatus() {
        String cluster = newCluster();
        ContainerInstance active = Instances.register(ecs, cluster);
        ContainerInstance draining = Instances.register(ecs, cluster);
        ecs.updateContainerInstancesState(r -> r.cluster(cluster).status(ContainerInstanceStatus.DRAINING)
                .containerInstances(draining.containerInstanceArn()));

        assertThat(ecs.listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns())
                .containsExactlyInAnyOrder(active.containerInstanceArn(), draining.containerInstanceArn());
        assertThat(ecs.listContainerInstances(r -> r.cluster(cluster).status(ContainerInstanceStatus.DRAINING))
                .containerInstanceArns()).containsExactly(draining.containerInstanceArn());
        assertThat(ecs.listContainerInstances(r -> r.cluster(cluster).status(ContainerInstanceStatus.ACTIVE))
                .containerInstanceArns()).containsExactly(active.containerInstanceArn());
        assertThat(ecs.listContainerInstances(r -> r.cluster(cluster).status(ContainerInstanceStatus.REGISTERING))
                .containerInstanceArns()).isEmpty();
    }

    @Test
    void listFiltersWithTheClusterQueryLanguage() {
        String cluster = newCluster();
        ContainerInstance micro = Instances.register(ecs, cluster, r -> r.instanceIdentityDocument(
                Instances.identityDocument("i-micro", "us-east-1a", "t2.micro", "ami-1")));
        ContainerInstance large = Instances.register(ecs, cluster, r -> r.instanceIdentityDocument(
                Instances.identityDocument("i-large", "us-east-1b", "m5.large", "ami-1")));

        assertThat(filter(cluster, "attribute:ecs.instance-type == t2.micro")).containsExactly(micro.containerInstanceArn());
        assertThat(filter(cluster, "attribute:ecs.instance-type =~ m5.*")).containsExactly(large.containerInstanceArn());
        assertThat(filter(cluster, "ec2InstanceId in ['i-micro', 'i-other']")).containsExactly(micro.containerInstanceArn());
        assertThat(filter(cluster, "attribute:ecs.availability-zone != us-east-1a and runningTasksCount == 0"))
                .containsExactly(large.containerInstanceArn());
        assertThat(filter(cluster, "registeredAt >= 2020-01-01 and agentConnected == false")).hasSize(2);
        assertThat(filter(cluster, "attribute:ecs.capability.external exists")).hasSize(2);
        assertThat(filter(cluster, "not(attribute:ecs.os-type == linux)")).isEmpty();
    }

    @Test
    void aMalformedFilterIsAnInvalidParameterNamingThePosition() {
        String cluster = newCluster();

        assertThatThrownBy(() -> ecs.listContainerInstances(r -> r.cluster(cluster).filter("attribute:x ==")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("position");
        assertThatThrownBy(() -> ecs.listContainerInstances(r -> r.cluster(cluster).filter("size > 3")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("position 1");
    }

    @Test
    void listPagesWithTokens() {
        String cluster = newCluster();
        for (int i = 0; i < 5; i++) {
            Instances.register(ecs, cluster);
        }

        ListContainerInstancesResponse first = ecs.listContainerInstances(r -> r.cluster(cluster).maxResults(2));
        ListContainerInstancesResponse second = ecs.listContainerInstances(r -> r.cluster(cluster).maxResults(2)
                .nextToken(first.nextToken()));

        assertThat(first.containerInstanceArns()).hasSize(2);
        assertThat(second.containerInstanceArns()).hasSize(2).doesNotContainAnyElementsOf(first.containerInstanceArns());
        assertThat(ecs.listContainerInstancesPaginator(r -> r.cluster(cluster).maxResults(1)).containerInstanceArns())
                .hasSize(5);
    }

    @Test
    void badListsAreRefused() {
        assertThatThrownBy(() -> ecs.listContainerInstances(r -> r.cluster("no-such-cluster")))
                .isInstanceOf(ClusterNotFoundException.class);
        String cluster = newCluster();
        assertThatThrownBy(() -> ecs.listContainerInstances(r -> r.cluster(cluster).status("INACTIVE")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listContainerInstances(r -> r.cluster(cluster).maxResults(101)))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void updateContainerInstancesStateDrainsAndReactivates() {
        String cluster = newCluster();
        ContainerInstance instance = Instances.register(ecs, cluster);

        UpdateContainerInstancesStateResponse drained = ecs.updateContainerInstancesState(r -> r.cluster(cluster)
                .status(ContainerInstanceStatus.DRAINING)
                .containerInstances(instance.containerInstanceArn(), "0123456789abcdef0123456789abcdef"));
        UpdateContainerInstancesStateResponse reactivated = ecs.updateContainerInstancesState(r -> r.cluster(cluster)
                .status(ContainerInstanceStatus.ACTIVE).containerInstances(instance.containerInstanceArn()));

        assertThat(drained.containerInstances()).singleElement().satisfies(i -> {
            assertThat(i.status()).isEqualTo("DRAINING");
            assertThat(i.version()).isEqualTo(2L);
        });
        assertThat(drained.failures()).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("MISSING");
            assertThat(f.arn()).endsWith("/0123456789abcdef0123456789abcdef");
        });
        assertThat(reactivated.containerInstances().get(0).status()).isEqualTo("ACTIVE");
        assertThat(reactivated.failures()).isEmpty();
    }

    @Test
    void updateContainerInstancesStateTakesOnlyActiveOrDraining() {
        String cluster = newCluster();
        ContainerInstance instance = Instances.register(ecs, cluster);

        for (ContainerInstanceStatus status : List.of(ContainerInstanceStatus.REGISTERING,
                ContainerInstanceStatus.DEREGISTERING, ContainerInstanceStatus.REGISTRATION_FAILED)) {
            assertThatThrownBy(() -> ecs.updateContainerInstancesState(r -> r.cluster(cluster).status(status)
                    .containerInstances(instance.containerInstanceArn())))
                    .isInstanceOf(InvalidParameterException.class);
        }
        assertThatThrownBy(() -> ecs.updateContainerInstancesState(r -> r.cluster("no-such-cluster")
                .status(ContainerInstanceStatus.DRAINING).containerInstances("x")))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void discoverPollEndpointNamesThisServer() {
        String cluster = newCluster();
        ContainerInstance instance = Instances.register(ecs, cluster);

        DiscoverPollEndpointResponse withInstance = ecs.discoverPollEndpoint(r -> r.cluster(cluster)
                .containerInstance(instance.containerInstanceArn()));
        DiscoverPollEndpointResponse bare = ecs.discoverPollEndpoint(r -> { });

        assertThat(withInstance.endpoint()).isEqualTo(berth.endpoint());
        assertThat(withInstance.telemetryEndpoint()).isEqualTo(berth.endpoint());
        assertThat(withInstance.serviceConnectEndpoint()).isNull();
        assertThat(bare.endpoint()).isEqualTo(berth.endpoint());
        assertThatThrownBy(() -> ecs.discoverPollEndpoint(r -> r.cluster("no-such-cluster")))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void registeredInstancesSurviveARestart() {
        // A second server over its own directory: this class's server keeps running for the others.
        Path otherDir = dataDir.resolve("restart");
        ContainerInstance instance;
        AccessKey key;
        try (RunningBerth first = RunningBerth.start(otherDir); EcsClient client = first.ecs()) {
            key = first.key();
            client.createCluster(r -> r.clusterName("durable"));
            instance = Instances.register(client, "durable");
        }
        try (RunningBerth second = RunningBerth.start(otherDir);
                EcsClient client = second.ecs(RunningBerth.REGION, key.accessKeyId(), key.secretAccessKey())) {
            ContainerInstance described = client.describeContainerInstances(r -> r.cluster("durable")
                    .containerInstances(instance.containerInstanceArn())).containerInstances().get(0);

            assertThat(described.attributes()).isEqualTo(instance.attributes());
            assertThat(described.registeredResources()).isEqualTo(instance.registeredResources());
            assertThat(Duration.between(instance.registeredAt(), described.registeredAt())).isZero();
        }
    }

    @Test
    void theOfficialAgentsRegistrationBodyIsAnsweredWithEveryAttributeEchoed() throws Exception {
        // The agent sends members the public model lacks (clientToken); they are ignored as AWS does.
        String body = """
                {"cluster":"wire","instanceIdentityDocument":"","instanceIdentityDocumentSignature":"",
                 "totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048},
                   {"name":"MEMORY","type":"INTEGER","integerValue":3764},
                   {"name":"PORTS","type":"STRINGSET","stringSetValue":["22","2375","2376","51678","51679"]},
                   {"name":"PORTS_UDP","type":"STRINGSET","stringSetValue":[]}],
                 "attributes":[{"name":"ecs.capability.container-ordering"},
                   {"name":"com.amazonaws.ecs.capability.docker-remote-api.1.41"},
                   {"name":"ecs.os-type","value":"linux"},{"name":"ecs.os-family","value":"LINUX"}],
                 "clientToken":"5e0c9f7e-1f4b-4c51-9d5c-0f6f0c3b7a11"}""";
        try (RunningBerth dev = RunningBerth.startDev(dataDir.resolve("wire")); EcsClient client = dev.ecs()) {
            client.createCluster(r -> r.clusterName("wire"));
            HttpResponse<String> response = dev.trust().httpClient().build().send(
                    HttpRequest.newBuilder(URI.create(dev.endpoint() + "/"))
                            .header("Content-Type", "application/x-amz-json-1.1")
                            .header("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.RegisterContainerInstance")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode instance = new ObjectMapper()
                    .readTree(response.body()).get("containerInstance");
            assertThat(instance.get("containerInstanceArn").asText()).contains(":container-instance/wire/");
            List<String> echoed = new ArrayList<>();
            instance.get("attributes").forEach(a -> echoed.add(a.get("name").asText()
                    + "=" + (a.has("value") ? a.get("value").asText() : "")));
            assertThat(echoed).contains("ecs.capability.container-ordering=",
                    "com.amazonaws.ecs.capability.docker-remote-api.1.41=", "ecs.os-type=linux", "ecs.os-family=LINUX");
        }
    }

    private static List<String> filter(String cluster, String expression) {
        return ecs.listContainerInstances(r -> r.cluster(cluster).filter(expression)).containerInstanceArns();
    }
}
