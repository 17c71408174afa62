package io.berth.control.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;

class ServiceEventsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static Service service() {
        return Service.builder().serviceName("web").events(List.of()).build();
    }

    @Test
    void theNewestHundredEventsAreKeptNewestFirst() {
        Service service = service();
        for (int i = 0; i < 105; i++) {
            service = ServiceEvents.add(service, "event " + i, NOW.plusSeconds(i));
        }

        assertThat(service.events()).hasSize(100);
        assertThat(service.events().get(0).message()).isEqualTo("(service web) event 104");
        assertThat(service.events().get(99).message()).isEqualTo("(service web) event 5");
    }

    @Test
    void aRepeatedComplaintWaitsBeforeItIsWrittenAgain() {
        Service once = ServiceEvents.addUnlessRecent(service(), "is unhappy.", NOW);
        Service soon = ServiceEvents.addUnlessRecent(once, "is unhappy.", NOW.plus(Duration.ofMinutes(1)));
        Service later = ServiceEvents.addUnlessRecent(soon, "is unhappy.", NOW.plus(Duration.ofMinutes(6)));

        assertThat(soon.events()).hasSize(1);
        assertThat(later.events()).extracting(ServiceEvent::createdAt)
                .containsExactly(NOW.plus(Duration.ofMinutes(6)), NOW);
    }

    @Test
    void unableToPlaceNamesTheClosestInstanceAndItsShortfall() {
        String arn = "arn:aws:ecs:us-east-1:123456789012:container-instance/c/abc123";

        assertThat(ServiceEvents.unableToPlace(List.of(Failure.builder().arn(arn).reason("RESOURCE:CPU").build())))
                .contains("The closest matching (container-instance abc123) has insufficient CPU units available.");
        assertThat(ServiceEvents.unableToPlace(List.of(Failure.builder().arn(arn).reason("RESOURCE:PORTS").build())))
                .contains("is already using a port required by your task.");
        assertThat(ServiceEvents.unableToPlace(List.of()))
                .contains("Reason: No Container Instances were found in your cluster.");
    }
}
