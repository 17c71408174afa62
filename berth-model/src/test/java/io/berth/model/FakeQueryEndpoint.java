package io.berth.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client for SDK clients in tests: hands the form parameters the SDK sent to a function and
 * gives the SDK the status and body the function answers, so both directions go through the SDK's own
 * marshalling.
 */
final class FakeQueryEndpoint implements SdkHttpClient {

    record Answer(int status, byte[] body) {
    }

    private final Function<Map<String, String>, Answer> server;

    FakeQueryEndpoint(Function<Map<String, String>, Answer> server) {
        this.server = server;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                String form;
                try {
                    form = request.contentStreamProvider().isPresent()
                            ? new String(request.contentStreamProvider().get().newStream().readAllBytes(),
                                    StandardCharsets.UTF_8)
                            : "";
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Answer answer = server.apply(AwsQuery.parseForm(form));
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(answer.status())
                                .putHeader("Content-Type", "text/xml").build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer.body())))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public void close() {
    }
}
