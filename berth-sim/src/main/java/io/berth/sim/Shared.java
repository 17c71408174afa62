package io.berth.sim;

import io.berth.model.acs.AcsCodec;
import java.net.http.HttpClient;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;

/** What every agent of a fleet shares: one API client pool, one websocket client, one timer thread. */
record Shared(EcsAsyncClient ecs, HttpClient http, ScheduledExecutorService timers, AwsCredentials credentials,
        String region, AcsCodec codec) {
}
