package io.berth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Raw HTTP to a Berth endpoint with the JDK client, signed (or not) with the SDK's SigV4 signer, for
 * tests that need to send what the SDK clients never would.
 */
final class SignedHttp {

    static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    /** Headers the JDK client sets itself and refuses to take from callers. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far longer than any answer takes: a request still unanswered then has made the server work without bound. */
    private static final java.time.Duration ANSWER_TIMEOUT = java.time.Duration.ofSeconds(60);

    /** A request before signing. */
    record Call(String method, String path, Map<String, String> headers, byte[] body) {

        /** An ECS operation as the SDK sends it: POST / with the JSON 1.1 content type and target. */
        static Call ecs(String target, String json) {
            return ecs(target, json.getBytes(StandardCharsets.UTF_8));
        }

        static Call ecs(String target, byte[] body) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/x-amz-json-1.1");
            if (target != null) {
                headers.put("X-Amz-Target", target);
            }
            return new Call("POST", "/", headers, body);
        }

        /** An IAM or STS action as the Query protocol sends it: POST / with a form body. */
        static Call query(String form) {
            return new Call("POST", "/", Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                    form.getBytes(StandardCharsets.UTF_8));
        }

        Call withMethod(String newMethod) {
            return new Call(newMethod, path, headers, newMethod.equals("GET") ? new byte[0] : body);
        }

        Call withPath(String newPath) {
            return new Call(method, newPath, headers, body);
        }
    }

    /** What came back. */
    record Answer(int status, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }

        /** The AWS error code, or null when the body names none. */
        String errorType() {
            JsonNode type = json().get("__type");
            return type == null ? null : type.asText();
        }
    }

    private final String endpoint;
    private final HttpClient client = TestCa.TRUST.httpClient().version(HttpClient.Version.HTTP_1_1).build();

    SignedHttp(String endpoint) {
        this.endpoint = endpoint;
    }

    /** Sends the call signed for ECS in the region with the key, at the clock's time. */
    Answer signed(Call call, String accessKeyId, String secretAccessKey, String region, Clock clock) {
        return signed(call, "ecs", accessKeyId, secretAccessKey, region, clock);
    }

    /** Sends the call signed for the service ({@code ecs}, {@code iam}, {@code sts}) in the region. */
    Answer signed(Call call, String service, String accessKeyId, String secretAccessKey, String region, Clock clock) {
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(call.method()))
                .uri(URI.create(endpoint + call.path()))
                .headers(toLists(call.headers()))
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKeyId, secretAccessKey))
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(call.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock)).request();
        Map<String, String> headers = new LinkedHashMap<>();
        signed.headers().forEach((name, values) -> headers.put(name, String.join(",", values)));
        return send(new Call(call.method(), call.path(), headers, call.body()));
    }

    Answer signed(Call call, String accessKeyId, String secretAccessKey, String region) {
        return signed(call, accessKeyId, secretAccessKey, region, Clock.systemUTC());
    }

    /** Sends the call as it is, without a signature. */
    Answer send(Call call) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + call.path()))
                .timeout(ANSWER_TIMEOUT)
                .method(call.method(), call.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        call.headers().forEach((name, value) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                request.header(name, value);
            }
        });
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, List<String>> toLists(Map<String, String> headers) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        headers.forEach((name, value) -> lists.put(name, List.of(value)));
        return lists;
    }
}
