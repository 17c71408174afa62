package io.berth.server.metrics;

import io.berth.server.http.ApiCall;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every answered API call as {@code berth_requests_seconds}, tagged with the service, the operation and the
 * error code ({@code OK} for a success). The operation comes from the request, so it is only trusted once the call
 * was authenticated and its operation found: otherwise anyone could make a meter per name they send.
 */
final class RequestMeter implements ApiCall.Listener {

    static final String NAME = "berth.requests";
    static final String UNKNOWN = "unknown";
    static final String OK = "OK";
    /** The errors that say the operation a call named does not exist, whatever its name. */
    private static final Set<String> NO_SUCH_OPERATION = Set.of("UnknownOperationException", "InvalidAction",
            "MissingAction");
    /** From a cached answer to a slow PostgreSQL commit, the range an operator reads latency in. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private record Key(String service, String operation, String code) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    RequestMeter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void answered(ApiCall call) {
        timers.computeIfAbsent(keyOf(call), this::timer).record(call.nanos(), TimeUnit.NANOSECONDS);
    }

    static Key keyOf(ApiCall call) {
        String service = call.service() == null ? UNKNOWN : call.service();
        boolean known = call.caller() != null && call.operation() != null
                && (call.errorCode() == null || !NO_SUCH_OPERATION.contains(call.errorCode()));
        return new Key(service, known ? call.operation() : UNKNOWN, call.errorCode() == null ? OK : call.errorCode());
    }

    private Timer timer(Key key) {
        return Timer.builder(NAME)
                .description("API calls answered, by service, operation and error code (OK for a success)")
                .tag("service", key.service())
                .tag("operation", key.operation())
                .tag("code", key.code())
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }
}
