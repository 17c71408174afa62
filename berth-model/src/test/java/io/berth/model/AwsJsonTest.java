package io.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

class AwsJsonTest {

    private final AwsJson json = new AwsJson();

    private static RegisterTaskDefinitionRequest wordpress() {
        return RegisterTaskDefinitionRequest.builder()
                .family("wordpress")
                .containerDefinitions(
                        ContainerDefinition.builder().name("wordpress").image("wordpress:4").essential(true)
                                .links("mysql").cpu(10).memory(500)
                                .portMappings(PortMapping.builder().containerPort(80).hostPort(80)
                                        .protocol(TransportProtocol.TCP).build())
                                .build(),
                        ContainerDefinition.builder().name("mysql").image("mysql:5").essential(true).cpu(10)
                                .memory(500)
                                .environment(KeyValuePair.builder().name("MYSQL_ROOT_PASSWORD").value("password").build())
                                .dockerLabels(java.util.Map.of("tier", "db"))
                                .build())
                .build();
    }

    @Test
    void aShapeSurvivesTheRoundTrip() {
        RegisterTaskDefinitionRequest request = wordpress();

        assertThat(json.read(json.write(request), RegisterTaskDefinitionRequest.class)).isEqualTo(request);
    }

    @Test
    void membersUseTheirWireNamesAndAbsentOnesAreOmitted() {
        String written = json.write(wordpress());

        assertThat(written).contains("\"containerDefinitions\":[").contains("\"containerPort\":80")
                .contains("\"protocol\":\"tcp\"").doesNotContain("volumes").doesNotContain("null");
    }

    @Test
    void timestampsAreEpochSecondsWithAFraction() {
        Task task = Task.builder().createdAt(Instant.ofEpochMilli(1_795_613_617_103L)).build();

        assertThat(json.write(task)).isEqualTo("{\"createdAt\":1795613617.103}");
        assertThat(json.read("{\"createdAt\":1795613617.103}", Task.class).createdAt())
                .isEqualTo(Instant.ofEpochMilli(1_795_613_617_103L));
        assertThat(json.read("{\"createdAt\":1795613617}", Task.class).createdAt())
                .isEqualTo(Instant.ofEpochSecond(1_795_613_617L));
    }

    @Test
    void timestampFractionsRoundHalfUpToTheMillisecondWhateverTheirNotation() {
        for (String seconds : java.util.List.of("1795613617.1034", "1795613617.1035", "1795613617.9996", "0.0005",
                "-0.0005", "-1795613617.1035", "1.5e3", "1795613617103e-3", "17956136171030000000e-10", "0.1", "-0",
                "123456789012345.678")) {
            Instant expected = Timestamps.fromEpochSeconds(new java.math.BigDecimal(seconds));

            assertThat(json.read("{\"createdAt\":" + seconds + "}", Task.class).createdAt()).as(seconds)
                    .isEqualTo(expected);
        }
        assertThat(json.read("{\"createdAt\":1795613617.1035}", Task.class).createdAt())
                .isEqualTo(Instant.ofEpochMilli(1_795_613_617_104L));
        assertThatThrownBy(() -> json.read("{\"createdAt\":1e400}", Task.class))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.getMessage()).contains("out of range"));
    }

    @Test
    void aMisfitDeepInsideNamesItsWholePath() {
        assertThatThrownBy(() -> json.read("{\"containerDefinitions\":[{\"name\":\"web\"},"
                + "{\"portMappings\":[{\"containerPort\":\"eighty\"}]}]}", RegisterTaskDefinitionRequest.class))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "Expected an integer at 'RegisterTaskDefinitionRequest.containerDefinitions[1].portMappings[0]"
                                + ".containerPort' but found a string."));
        assertThatThrownBy(() -> json.read("{\"containerDefinitions\":[{\"dockerLabels\":{\"tier\":7}}]}",
                RegisterTaskDefinitionRequest.class))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "Expected a string at 'RegisterTaskDefinitionRequest.containerDefinitions[0].dockerLabels.tier'"
                                + " but found a number."));
        assertThatThrownBy(() -> json.read("{\"overrides\":{\"containerOverrides\":[null]}}", RunTaskRequest.class))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "Value at 'RunTaskRequest.overrides.containerOverrides' holds a null element."));
    }

    @Test
    void equalStringsReadFromManyDocumentsShareOneCopy() {
        Task first = json.read("{\"lastStatus\":\"STOPPED\",\"clusterArn\":\"arn:aws:ecs:us-east-1:1:cluster/c\"}",
                Task.class);
        Task second = json.read("{\"lastStatus\":\"STOPPED\",\"clusterArn\":\"arn:aws:ecs:us-east-1:1:cluster/c\"}",
                Task.class);

        assertThat(second.lastStatus()).isSameAs(first.lastStatus());
        assertThat(second.clusterArn()).isSameAs(first.clusterArn()).isEqualTo("arn:aws:ecs:us-east-1:1:cluster/c");
    }

    @Test
    void anUnsharedCodecReadsEachStringAsItsOwnCopy() {
        AwsJson unshared = AwsJson.unshared();
        String document = "{\"lastStatus\":\"STOPPED\",\"clusterArn\":\"arn:aws:ecs:us-east-1:1:cluster/c\"}";

        Task first = unshared.read(document, Task.class);
        Task second = unshared.read(document, Task.class);

        assertThat(second.clusterArn()).isNotSameAs(first.clusterArn()).isEqualTo(first.clusterArn());
        assertThat(second).isEqualTo(first);
    }

    @Test
    void unknownMembersAreIgnoredAsAwsDoes() {
        RunTaskRequest request = json.read("{\"cluster\":\"c\",\"zoneId\":\"\",\"extra\":{\"deep\":[1,2,{}]},\"count\":2}",
                RunTaskRequest.class);

        assertThat(request.cluster()).isEqualTo("c");
        assertThat(request.count()).isEqualTo(2);
    }

    @Test
    void anEmptyBodyReadsAsAnEmptyRequest() {
        assertThat(json.read(new byte[0], RunTaskRequest.class)).isEqualTo(RunTaskRequest.builder().build());
    }

    @Test
    void wrongTypesAreSerializationErrorsNamingTheMember() {
        assertThatThrownBy(() -> json.read("{\"count\":\"two\"}", RunTaskRequest.class))
                .isInstanceOfSatisfying(EcsException.class, e -> {
                    assertThat(e.code()).isEqualTo("SerializationException");
                    assertThat(e.getMessage()).contains("count");
                });
        assertThatThrownBy(() -> json.read("{\"containerDefinitions\":{}}", RegisterTaskDefinitionRequest.class))
                .isInstanceOf(EcsException.class);
        assertThatThrownBy(() -> json.read("{\"count\":1e400}", RunTaskRequest.class))
                .isInstanceOf(EcsException.class);
        assertThatThrownBy(() -> json.read("{\"count\":99999999999}", RunTaskRequest.class))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.getMessage()).contains("out of range"));
    }

    @Test
    void absurdNestingIsASerializationError() {
        String deep = "{\"overrides\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

        assertThatThrownBy(() -> json.read(deep, RunTaskRequest.class)).isInstanceOf(EcsException.class);
    }

    @Test
    void malformedJsonIsASerializationError() {
        for (String body : new String[] {"{", "[]", "{\"cluster\":}", "nonsense", "{} {}", "\"text\""}) {
            assertThatThrownBy(() -> json.read(body, RunTaskRequest.class))
                    .as(body)
                    .isInstanceOfSatisfying(EcsException.class,
                            e -> assertThat(e.code()).isEqualTo("SerializationException"));
        }
    }

    @Test
    void timestampsBeyondAnyInstantAreRefusedAtOnceWithAShortMessage() {
        for (String huge : new String[] {"1e99999999", "-1e99999999", "1e-99999999", "9".repeat(900), "1E2147483647",
                "0." + "0".repeat(900) + "1"}) {
            String body = "{\"cluster\":\"x\",\"task\":\"x\",\"pullStartedAt\":" + huge + "}";
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                try {
                    Instant read = json.read(body, SubmitTaskStateChangeRequest.class).pullStartedAt();
                    assertThat(read).as(huge).isEqualTo(Instant.EPOCH);
                } catch (EcsException e) {
                    assertThat(e.code()).isEqualTo("SerializationException");
                    assertThat(e.getMessage()).as(huge).hasSizeLessThan(200).doesNotContain("99999")
                            .contains("pullStartedAt");
                }
            });
        }
    }

    @Test
    void hugeNumbersAreRefusedAtOnceWithAShortMessage() {
        String[] bodies = {"{\"desiredCount\":" + "9".repeat(5000) + "}", "{\"desiredCount\":1e99999999}",
                "{\"deploymentConfiguration\":{\"maximumPercent\":" + "1".repeat(5000) + "}}"};
        for (String body : bodies) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(
                    () -> json.read(body, CreateServiceRequest.class))
                    .isInstanceOfSatisfying(EcsException.class, e -> {
                        assertThat(e.code()).isEqualTo("SerializationException");
                        assertThat(e.getMessage()).hasSizeLessThan(200).doesNotContain("99999").doesNotContain("11111");
                    }));
        }
    }

    @Test
    void bodiesInABrokenEncodingAreSerializationErrors() {
        byte[][] bodies = {
                {0, 0, 0, '{', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, '}'},
                {'{', 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, '}', 0, 0, 0},
                {'{', '"', 'c', 'l', 'u', 's', 't', 'e', 'r', '"', ':', '"', (byte) 0xc3, 0x28, '"', '}'},
                {(byte) 0xff, (byte) 0xfe, '{', 0, '}'},
                {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, (byte) 0xff, '}'},
                {(byte) 0xfe, (byte) 0xff, (byte) 0xd8, 0x00, 0x00, '}'}};
        for (byte[] body : bodies) {
            assertThatThrownBy(() -> json.read(body, RunTaskRequest.class))
                    .as(java.util.Arrays.toString(body))
                    .isInstanceOfSatisfying(EcsException.class,
                            e -> assertThat(e.code()).isEqualTo("SerializationException"));
        }
    }
}
