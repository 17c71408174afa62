package io.berth.agent.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.model.acs.AcsContainer;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A container's {@code awslogs} log options, checked as Docker's {@code awslogs} driver checks them (same option
 * names, same refusals), plus ECS's {@code awslogs-stream-prefix}.
 *
 * @param group {@code awslogs-group}
 * @param region {@code awslogs-region}; null for the agent's region
 * @param endpoint {@code awslogs-endpoint}; null for the endpoint the agent talks to
 * @param streamPrefix {@code awslogs-stream-prefix}: the stream is {@code <prefix>/<container-name>/<task-id>}
 * @param stream {@code awslogs-stream}, an explicit stream name
 * @param createGroup {@code awslogs-create-group}
 * @param createStream {@code awslogs-create-stream} (Docker's default: true)
 * @param datetimeFormat {@code awslogs-datetime-format}, strftime-like: a line starting with it begins an event
 * @param multilinePattern {@code awslogs-multiline-pattern}: a line matching it begins an event
 * @param mode {@code mode}
 * @param maxBufferBytes {@code max-buffer-size}: what may wait to be shipped before non-blocking mode drops lines
 * @param flushInterval {@code awslogs-force-flush-interval-seconds} (5 s): the longest an event waits to be sent
 */
public record AwslogsOptions(
        String group,
        String region,
        URI endpoint,
        String streamPrefix,
        String stream,
        boolean createGroup,
        boolean createStream,
        String datetimeFormat,
        String multilinePattern,
        Mode mode,
        long maxBufferBytes,
        Duration flushInterval) {

    /** Whether a full buffer holds the reader back ({@code blocking}) or drops lines ({@code non-blocking}). */
    public enum Mode {
        BLOCKING, NON_BLOCKING
    }

    public static final String DRIVER = "awslogs";
    /** Docker's default {@code max-buffer-size}. */
    static final long DEFAULT_MAX_BUFFER_BYTES = 1_000_000;
    static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(5);

    private static final Set<String> KNOWN = Set.of("awslogs-group", "awslogs-region", "awslogs-endpoint",
            "awslogs-stream-prefix", "awslogs-stream", "awslogs-create-group", "awslogs-create-stream",
            "awslogs-datetime-format", "awslogs-multiline-pattern", "awslogs-force-flush-interval-seconds",
            // accepted as Docker accepts them, with no effect here
            "awslogs-credentials-endpoint", "awslogs-max-buffered-events", "awslogs-format", "tag",
            "mode", "max-buffer-size");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?) ?([kmgtp])?i?b?", Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper JSON = new ObjectMapper();

    public AwslogsOptions {
        if (group == null || group.isEmpty()) {
            throw new IllegalArgumentException("must specify a value for log opt 'awslogs-group'");
        }
        if (datetimeFormat != null && multilinePattern != null) {
            throw new IllegalArgumentException("you cannot configure log opt 'awslogs-datetime-format' and "
                    + "'awslogs-multiline-pattern' at the same time");
        }
        mode = mode == null ? Mode.BLOCKING : mode;
        flushInterval = flushInterval == null ? DEFAULT_FLUSH_INTERVAL : flushInterval;
        if (maxBufferBytes <= 0) {
            maxBufferBytes = DEFAULT_MAX_BUFFER_BYTES;
        }
    }

    /**
     * The {@code awslogs} options of an ACS container, which the control plane passes as Docker's
     * {@code LogConfig} in {@code dockerConfig.hostConfig}; empty when the container logs another way.
     *
     * @throws IllegalArgumentException with Docker's words when an option is not acceptable
     */
    public static Optional<AwslogsOptions> of(AcsContainer container) {
        if (container.dockerConfig() == null || container.dockerConfig().hostConfig() == null
                || container.dockerConfig().hostConfig().isBlank()) {
            return Optional.empty();
        }
        JsonNode host;
        try {
            host = JSON.readTree(container.dockerConfig().hostConfig());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("dockerConfig.hostConfig is not valid JSON: " + e.getOriginalMessage());
        }
        return host == null ? Optional.empty() : ofLogConfig(host.path("LogConfig"));
    }

    /**
     * Replaces an {@code awslogs} {@code HostConfig.LogConfig} in a Docker create body with a {@code json-file} one,
     * so that Docker keeps the output locally for the agent to ship; other log configurations are left alone.
     *
     * @return whether the body asked for {@code awslogs}
     */
    public static boolean keepJsonFileLog(ObjectNode createBody) {
        JsonNode logConfig = createBody.path("HostConfig").path("LogConfig");
        if (!DRIVER.equals(logConfig.path("Type").asText())) {
            return false;
        }
        ObjectNode local = ((ObjectNode) createBody.get("HostConfig")).putObject("LogConfig");
        local.put("Type", "json-file");
        local.putObject("Config");
        return true;
    }

    static Optional<AwslogsOptions> ofLogConfig(JsonNode logConfig) {
        if (!DRIVER.equals(logConfig.path("Type").asText())) {
            return Optional.empty();
        }
        Map<String, String> options = new LinkedHashMap<>();
        logConfig.path("Config").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        return Optional.of(parse(options));
    }

    /** Reads Docker log options ({@code --log-opt key=value}). */
    public static AwslogsOptions parse(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("unknown log opt '" + key + "' for awslogs log driver");
            }
        }
        Mode mode = switch (options.getOrDefault("mode", "blocking")) {
            case "", "blocking" -> Mode.BLOCKING;
            case "non-blocking" -> Mode.NON_BLOCKING;
            default -> throw new IllegalArgumentException("logger: logging mode not supported: " + options.get("mode"));
        };
        long maxBuffer = 0;
        if (options.containsKey("max-buffer-size")) {
            if (mode != Mode.NON_BLOCKING) {
                throw new IllegalArgumentException(
                        "logger: max-buffer-size option is only supported with 'mode=non-blocking'");
            }
            maxBuffer = bytes(options.get("max-buffer-size"));
        }
        String multiline = blankToNull(options.get("awslogs-multiline-pattern"));
        if (multiline != null) {
            try {
                Pattern.compile(multiline);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("awslogs could not parse multiline pattern key: "
                        + e.getDescription());
            }
        }
        return new AwslogsOptions(options.get("awslogs-group"), blankToNull(options.get("awslogs-region")),
                endpoint(options.get("awslogs-endpoint")), blankToNull(options.get("awslogs-stream-prefix")),
                blankToNull(options.get("awslogs-stream")), bool(options, "awslogs-create-group", false),
                bool(options, "awslogs-create-stream", true), blankToNull(options.get("awslogs-datetime-format")),
                multiline, mode, maxBuffer, flushInterval(options.get("awslogs-force-flush-interval-seconds")));
    }

    /**
     * The stream a container's output goes to: {@code awslogs-stream} when set, else
     * {@code <prefix>/<container-name>/<task-id>} with a prefix, else the container's Docker id, as ECS names them.
     */
    public String streamName(String containerName, String taskArn, String dockerId) {
        if (stream != null) {
            return stream;
        }
        if (streamPrefix != null) {
            return streamPrefix + "/" + containerName + "/" + taskArn.substring(taskArn.lastIndexOf('/') + 1);
        }
        return dockerId;
    }

    /** The pattern a line starting a new event matches, or null when every line is an event of its own. */
    Pattern eventStart() {
        if (multilinePattern != null) {
            return Pattern.compile(multilinePattern);
        }
        return datetimeFormat == null ? null : DatetimeFormats.startOfLine(datetimeFormat);
    }

    private static boolean bool(Map<String, String> options, String key, boolean absent) {
        String value = options.get(key);
        if (value == null) {
            return absent;
        }
        // Go's strconv.ParseBool, which Docker uses
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new IllegalArgumentException("must specify valid value for log opt '" + key + "': "
                    + "strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
        };
    }

    private static URI endpoint(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("awslogs-endpoint must be a URL with a scheme and a host: " + value);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("awslogs-endpoint is not a valid URL: " + value);
        }
    }

    private static Duration flushInterval(String value) {
        if (value == null) {
            return DEFAULT_FLUSH_INTERVAL;
        }
        try {
            int seconds = Integer.parseInt(value);
            if (seconds > 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("invalid value for awslogs-force-flush-interval-seconds: " + value);
    }

    /** A size as Docker reads one ({@code 4m}, {@code 512k}, {@code 1MiB}): binary multiples. */
    static long bytes(String value) {
        Matcher matcher = SIZE.matcher(value == null ? "" : value.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("invalid size: '" + value + "'");
        }
        double number = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "" : matcher.group(2).toLowerCase(Locale.ROOT);
        int shift = "kmgtp".indexOf(unit.isEmpty() ? '-' : unit.charAt(0)) + 1;
        double size = number * Math.pow(1024, shift);
        if (size < 1 || size > (double) (1L << 40)) {
            throw new IllegalArgumentException("invalid size: '" + value + "'");
        }
        return (long) size;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
