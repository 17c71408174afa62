package io.berth.model.acs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** A Docker volume; {@code scope} is {@code task} or {@code shared}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DockerVolumeConfiguration(
        String scope,
        Boolean autoprovision,
        String driver,
        Map<String, String> driverOpts,
        Map<String, String> labels) {

    public DockerVolumeConfiguration {
        driverOpts = Immutable.map(driverOpts);
        labels = Immutable.map(labels);
    }
}
