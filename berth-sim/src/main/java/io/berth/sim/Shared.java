package io.berth.sim;

import io.berth.model.AwsJson;
import io.berth.model.acs.AcsCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;

/**
 * What every agent of a fleet shares: one API client and its connection pool (which also carries the
 * reports), one websocket client, one timer thread; {@code api} is the ECS endpoint the reports go to.
 */
record Shared(EcsAsyncClient ecs, SdkAsyncHttpClient apiHttp, HttpClient http, ScheduledExecutorService timers,
        AwsCredentials credentials, String region, AcsCodec codec, URI api, AwsJson json) {
}
