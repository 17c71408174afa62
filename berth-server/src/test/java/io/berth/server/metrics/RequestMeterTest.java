package io.berth.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.control.Caller;
import io.berth.control.Scope;
import io.berth.server.http.ApiCall;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestMeterTest {

    private static final Caller ROOT = new Caller(new Scope("aws", "123456789012", "us-east-1"),
            "arn:aws:iam::123456789012:root");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RequestMeter meter = new RequestMeter(registry);

    private static ApiCall call(String service, String operation, Caller caller, String errorCode) {
        return new ApiCall("request-1", service, operation, caller, "127.0.0.1", "test", null, Map.of(),
                Instant.EPOCH, 2_000_000, errorCode == null ? 200 : 400, errorCode);
    }

    private Timer timer(String service, String operation, String code) {
        return registry.find(RequestMeter.NAME)
                .tags("service", service, "operation", operation, "code", code).timer();
    }

    @Test
    void aSuccessIsTimedUnderItsServiceOperationAndOk() {
        meter.answered(call("ecs", "CreateCluster", ROOT, null));
        meter.answered(call("ecs", "CreateCluster", ROOT, null));

        assertThat(timer("ecs", "CreateCluster", "OK").count()).isEqualTo(2);
    }

    @Test
    void aRefusalIsTimedUnderItsErrorCode() {
        meter.answered(call("ecs", "DeleteCluster", ROOT, "ClusterNotFoundException"));

        assertThat(timer("ecs", "DeleteCluster", "ClusterNotFoundException").count()).isEqualTo(1);
    }

    @Test
    void theOperationOfAnUnauthenticatedCallIsNotTrusted() {
        meter.answered(call("ecs", "AnyNameAtAll", null, "MissingAuthenticationTokenException"));

        assertThat(timer("ecs", RequestMeter.UNKNOWN, "MissingAuthenticationTokenException").count()).isEqualTo(1);
        assertThat(registry.find(RequestMeter.NAME).tag("operation", "AnyNameAtAll").timer()).isNull();
    }

    @Test
    void anOperationNoServiceHasIsNotNamed() {
        meter.answered(call("logs", "MadeUp", ROOT, "UnknownOperationException"));
        meter.answered(call("iam", "MadeUp", ROOT, "InvalidAction"));

        assertThat(registry.find(RequestMeter.NAME).tag("operation", "MadeUp").timer()).isNull();
        assertThat(timer("logs", RequestMeter.UNKNOWN, "UnknownOperationException").count()).isEqualTo(1);
        assertThat(timer("iam", RequestMeter.UNKNOWN, "InvalidAction").count()).isEqualTo(1);
    }

    @Test
    void aCallThatNamedNoServiceIsTimedUnderUnknown() {
        meter.answered(call(null, null, null, "UnknownOperationException"));

        assertThat(timer(RequestMeter.UNKNOWN, RequestMeter.UNKNOWN, "UnknownOperationException").count())
                .isEqualTo(1);
    }

    @Test
    void theDurationIsTheCallsOwn() {
        meter.answered(call("ssm", "GetParameter", ROOT, null));

        assertThat(timer("ssm", "GetParameter", "OK").totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
                .isEqualTo(2_000_000);
    }
}
