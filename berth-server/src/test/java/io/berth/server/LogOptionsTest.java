package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.model.AwsJson;
import io.berth.server.api.JsonTable;
import io.berth.server.auth.Authenticator;
import io.berth.server.http.ForwardedOrigin;
import io.berth.server.http.JsonHandler;
import io.berth.server.http.Probes;
import io.berth.server.http.RequestLogContext;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import software.amazon.awssdk.services.ecs.model.ListClustersRequest;
import software.amazon.awssdk.services.ecs.model.ListClustersResponse;

class LogOptionsTest {

    private static final Logger operationLog = LoggerFactory.getLogger("io.berth.test.Operation");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ch.qos.logback.classic.Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level levelBefore = root.getLevel();
    private final Map<OutputStreamAppender<ILoggingEvent>, Encoder<ILoggingEvent>> encodersBefore =
            new IdentityHashMap<>();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> capture;
    private Server jetty;

    @AfterEach
    void restoreLogging() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        if (capture != null) {
            root.detachAppender(capture);
            capture.stop();
        }
        encodersBefore.forEach((appender, encoder) -> {
            appender.stop();
            appender.setEncoder(encoder);
            appender.start();
        });
        root.setLevel(levelBefore);
    }

    private static LogOptions parse(String... args) {
        LogOptions options = new LogOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    /** Writes the root's lines to {@link #captured} too, and notes every stream's encoder to put it back. */
    private void captureRootLines() {
        PatternLayoutEncoder plain = new PatternLayoutEncoder();
        plain.setContext(logging);
        plain.setPattern("%msg%n");
        plain.start();
        // Like the console appender, it opens its stream again when started again.
        capture = new OutputStreamAppender<>() {
            @Override
            public void start() {
                setOutputStream(captured);
                super.start();
            }
        };
        capture.setContext(logging);
        capture.setEncoder(plain);
        capture.start();
        root.addAppender(capture);
        for (var it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender instanceof OutputStreamAppender<ILoggingEvent> stream) {
                encodersBefore.put(stream, stream.getEncoder());
            }
        }
    }

    /** A JSON endpoint whose one operation logs a line, as a real operation may, behind the node's root handler. */
    private URI serveAnOperationThatLogs() throws Exception {
        JsonTable table = JsonTable.of("Test_20260101.", "test", JsonHandler.MAX_BODY_BYTES, new AwsJson());
        table.add("ListClusters", ListClustersRequest.class, (caller, request) -> {
            operationLog.info("listing the clusters of {}", caller.scope().account());
            return ListClustersResponse.builder().build();
        });
        JsonHandler handler = new JsonHandler(List.of(table), Authenticator.anyone("123456789012", "us-east-1"),
                "aws", new ForwardedOrigin(new byte[32]));
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        jetty.setHandler(new Probes(handler, () -> "", () -> true));
        jetty.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    private List<JsonNode> capturedLines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).lines().toList()) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    @Test
    void jsonFormatWritesAJsonObjectPerLineAndARequestsLinesCarryItsRequestId() throws Exception {
        captureRootLines();
        parse("--log-format", "json").apply(logging);
        URI endpoint = serveAnOperationThatLogs();

        HttpResponse<String> answer;
        try (HttpClient http = HttpClient.newHttpClient()) {
            answer = http.send(HttpRequest.newBuilder(endpoint)
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "Test_20260101.ListClusters")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        }
        operationLog.info("after the request");

        String requestId = answer.headers().firstValue("x-amzn-RequestId").orElseThrow();
        assertThat(answer.statusCode()).isEqualTo(200);
        List<JsonNode> lines = capturedLines();
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("formattedMessage").asText()).isEqualTo("listing the clusters of 123456789012");
            assertThat(line.path("level").asText()).isEqualTo("INFO");
            assertThat(line.path("loggerName").asText()).isEqualTo("io.berth.test.Operation");
            assertThat(line.path("mdc").path("requestId").asText()).isEqualTo(requestId);
        });
        assertThat(lines).filteredOn(line -> line.path("formattedMessage").asText().equals("after the request"))
                .singleElement()
                .satisfies(line -> assertThat(line.path("mdc").has("requestId")).isFalse());
    }

    @Test
    void textFormatKeepsTheConfiguredPattern() {
        captureRootLines();

        parse("--log-format", "text").apply(logging);

        assertThat(capture.getEncoder()).isInstanceOf(PatternLayoutEncoder.class);
    }

    @Test
    void textLinesNameTheRequestIdAfterTheLoggerWhenThereIsOne() {
        var console = (OutputStreamAppender<ILoggingEvent>) root.getAppender("STDERR");
        var configured = (PatternLayoutEncoder) console.getEncoder();
        LoggingEvent inRequest = new LoggingEvent(getClass().getName(),
                logging.getLogger("io.berth.test.Operation"), Level.INFO, "listing", null, null);
        inRequest.setMDCPropertyMap(Map.of(RequestLogContext.KEY, "request-1"));
        LoggingEvent outside = new LoggingEvent(getClass().getName(),
                logging.getLogger("io.berth.test.Operation"), Level.INFO, "listing", null, null);
        outside.setMDCPropertyMap(Map.of());

        assertThat(configured.getLayout().doLayout(inRequest)).contains("Operation [request-1] - listing");
        assertThat(configured.getLayout().doLayout(outside)).contains("Operation - listing");
    }

    @Test
    void theLevelDecidesWhichLinesAreWritten() {
        LoggerContext context = new LoggerContext();

        parse("--log-level", "warn").apply(context);

        assertThat(context.getLogger("io.berth.anything").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("io.berth.anything").isWarnEnabled()).isTrue();
    }

    @Test
    void theDefaultsAreTextAtInfo() {
        LogOptions options = parse();

        assertThat(options.format).isEqualTo(LogOptions.Format.TEXT);
        assertThat(options.level).isEqualTo(Level.INFO);
    }

    @Test
    void formatsAndLevelsAreReadWhateverTheirCase() {
        assertThat(parse("--log-format", "JSON").format).isEqualTo(LogOptions.Format.JSON);
        assertThat(parse("--log-level", "DEBUG").level).isEqualTo(Level.DEBUG);
    }

    @Test
    void anUnknownFormatOrLevelIsRefused() {
        assertThatThrownBy(() -> parse("--log-format", "yaml"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("'yaml' is no log format: use text or json");
        assertThatThrownBy(() -> parse("--log-level", "loud"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("'loud' is no log level");
    }

    @Test
    void everyLongRunningCommandTakesTheLogOptions() {
        for (Object command : List.of(new Berth.ServerCommand(), new Berth.AllInOneCommand(), new AgentCommand())) {
            CommandLine line = new CommandLine(command);

            assertThat(line.getCommandSpec().findOption("--log-format")).as(line.getCommandName()).isNotNull();
            assertThat(line.getCommandSpec().findOption("--log-level")).as(line.getCommandName()).isNotNull();
        }
    }
}
