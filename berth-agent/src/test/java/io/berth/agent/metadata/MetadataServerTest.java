package io.berth.agent.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.agent.RecordingReporter;
import io.berth.agent.acs.TaskCredentials;
import io.berth.agent.engine.Checkpoint;
import io.berth.agent.engine.EngineSettings;
import io.berth.agent.engine.TaskEngine;
import io.berth.model.acs.IamRoleCredentials;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetadataServerTest {

    private final TaskCredentials credentials = new TaskCredentials();
    private final ObjectMapper json = new ObjectMapper();
    private TaskEngine engine;
    private MetadataServer server;

    @BeforeEach
    void start() {
        // no tasks run here, so the engine never calls its runtime
        engine = new TaskEngine(null, new RecordingReporter(), Checkpoint.inMemory(), EngineSettings.defaults("test"));
        server = MetadataServer.start(new InetSocketAddress("127.0.0.1", 0), engine, credentials, "test");
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort()
                    + path)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void roleCredentialsAreServedByTheirId() throws Exception {
        credentials.put(new IamRoleCredentials("cred-1", "arn:aws:iam::123456789012:role/app", "AKID", "SECRET",
                "TOKEN", "2030-01-01T00:00:00Z", null));

        HttpResponse<String> response = get("/v2/credentials/cred-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body())).isEqualTo(json.readTree("""
                {"RoleArn":"arn:aws:iam::123456789012:role/app","AccessKeyId":"AKID","SecretAccessKey":"SECRET",
                 "Token":"TOKEN","Expiration":"2030-01-01T00:00:00Z"}"""));
        assertThat(get("/v1/credentials?id=cred-1").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownCredentialsAreABadRequest() throws Exception {
        HttpResponse<String> response = get("/v2/credentials/nope");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("code").asText()).isEqualTo("InvalidIdInRequest");
        assertThat(body.get("message").asText()).isEqualTo("CredentialsV2Request: Credentials not found");
        assertThat(body.get("HTTPErrorCode").asInt()).isEqualTo(400);
    }

    @Test
    void aSecondAgentOfTheHostHasItsTasksCredentialsServedUntilItStops() throws Exception {
        TaskCredentials secondCredentials = new TaskCredentials();
        TaskEngine second = new TaskEngine(null, new RecordingReporter(), Checkpoint.inMemory(),
                EngineSettings.defaults("berth.fargate"));
        secondCredentials.put(new IamRoleCredentials("cred-2", "arn:aws:iam::123456789012:role/app", "AKID2",
                "SECRET2", "TOKEN2", "2030-01-01T00:00:00Z", null));

        server.alsoServe(second, secondCredentials, "berth.fargate");
        int served = get("/v2/credentials/cred-2").statusCode();
        server.stopServing(second);
        int afterStop = get("/v2/credentials/cred-2").statusCode();
        second.close();

        assertThat(served).isEqualTo(200);
        assertThat(afterStop).isEqualTo(400);
    }

    @Test
    void anUnknownMetadataIdIsNotFound() throws Exception {
        assertThat(get("/v4/unknown").statusCode()).isEqualTo(404);
        assertThat(get("/v4/unknown/task").statusCode()).isEqualTo(404);
    }
}
