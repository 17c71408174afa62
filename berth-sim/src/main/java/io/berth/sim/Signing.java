package io.berth.sim;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/** SigV4 as the agent uses it on its websockets: service {@code ecs}, the agent's own credentials and region. */
final class Signing {

    private Signing() {
    }

    /** A query string as the agent writes it: keys in the map's order, spaces as {@code %20}. */
    static String encode(Map<String, String> query) {
        return query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
    }

    /** The websocket URL of {@code <endpoint>/ws?<query>}, as http(s); the upgrade is signed over this. */
    static URI upgradeUri(String endpoint, Map<String, String> query) {
        String base = endpoint.endsWith("/") ? endpoint : endpoint + "/";
        return URI.create(base + "ws?" + encode(query));
    }

    /** A websocket builder whose upgrade request carries the signature of a GET of {@code uri}. */
    static WebSocket.Builder signedUpgrade(Shared shared, URI uri) {
        SdkHttpRequest signed = sign(shared, SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri).build(), (byte[]) null);
        WebSocket.Builder builder = shared.http().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                builder.header(name, values.get(0));
            }
        });
        return builder;
    }

    static URI asWebSocket(URI uri) {
        return URI.create(uri.toString().replaceFirst("^http", "ws"));
    }

    /** A telemetry frame: the signed headers of a POST of the body, a blank line, then the body. */
    static String signedFrame(Shared shared, URI endpoint, String body) {
        SdkHttpRequest signed = sign(shared, SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint).build(),
                body);
        StringBuilder frame = new StringBuilder();
        signed.headers().forEach((name, values) -> frame.append(name).append(": ").append(values.get(0)).append("\r\n"));
        return frame.append("\r\n").append(body).toString();
    }

    /**
     * A call of one ECS API operation as the SDK sends it (AWS JSON 1.1, SigV4 over the body), for
     * the reports every task makes: built directly, without the SDK client's per-call pipeline.
     */
    static SdkHttpRequest signedApiCall(Shared shared, String operation, byte[] body) {
        return sign(shared, SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(shared.api())
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AmazonEC2ContainerServiceV20141113." + operation)
                .putHeader("Content-Length", String.valueOf(body.length))
                .build(), body);
    }

    private static SdkHttpRequest sign(Shared shared, SdkHttpRequest request, String body) {
        return sign(shared, request, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static SdkHttpRequest sign(Shared shared, SdkHttpRequest request, byte[] body) {
        return AwsV4HttpSigner.create().sign(r -> {
            r.request(request)
                    .identity(shared.credentials())
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecs")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, shared.region());
            if (body != null) {
                r.payload(ContentStreamProvider.fromByteArrayUnsafe(body));
            }
        }).request();
    }
}
