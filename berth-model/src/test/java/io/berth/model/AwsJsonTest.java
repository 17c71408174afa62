package io.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
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
}
