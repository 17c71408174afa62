package io.berth.agent.acs;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signs a websocket upgrade, and each telemetry frame, exactly as the official agent does: SigV4 for service
 * {@code ecs} over {@code GET}, the path and query, with signed headers {@code host;x-amz-date} only and the hash of
 * the payload (empty for the upgrade, the frame's JSON for a telemetry frame). (The SDK's signer always adds and
 * signs {@code x-amz-content-sha256}, which these requests do not carry.) A session token travels unsigned in
 * {@code X-Amz-Security-Token}.
 */
final class UpgradeSigner {

    /** The signed URI (with its scheme turned to ws/wss) and the headers to send with the upgrade. */
    record SignedUpgrade(URI uri, Map<String, String> headers) {
    }

    private static final String EMPTY_PAYLOAD_SHA256 =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String region;
    private final Clock clock;

    UpgradeSigner(String region, Clock clock) {
        this.region = region;
        this.clock = clock;
    }

    SignedUpgrade sign(URI httpEndpoint, String path, SortedMap<String, String> query, AwsCredentialsIdentity identity) {
        String basePath = httpEndpoint.getRawPath() == null ? "" : httpEndpoint.getRawPath();
        String fullPath = (basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath) + path;
        List<String> pairs = new ArrayList<>();
        query.forEach((name, value) -> pairs.add(encode(name) + "=" + encode(value)));
        pairs.sort(null);
        String canonicalQuery = String.join("&", pairs);
        String host = hostOf(httpEndpoint);
        Map<String, String> headers = signedHeaders(host, fullPath, canonicalQuery, EMPTY_PAYLOAD_SHA256, identity);
        String scheme = "https".equals(httpEndpoint.getScheme()) ? "wss" : "ws";
        return new SignedUpgrade(URI.create(scheme + "://" + host + fullPath + "?" + canonicalQuery), headers);
    }

    /**
     * A telemetry frame as the official agent sends it: the header block of a GET to the socket's URI signed over
     * {@code json} as its body ({@code Authorization}, {@code Host}, {@code X-Amz-Date}, then any
     * {@code X-Amz-Security-Token}, each line ending in CRLF), a blank line, then the JSON itself.
     */
    String signedFrame(URI socketUri, String json, AwsCredentialsIdentity identity) {
        String host = hostOf(socketUri);
        Map<String, String> headers = signedHeaders(host, socketUri.getRawPath(),
                socketUri.getRawQuery() == null ? "" : socketUri.getRawQuery(), sha256Hex(json), identity);
        StringBuilder frame = new StringBuilder();
        frame.append("Authorization: ").append(headers.get("Authorization")).append("\r\n");
        frame.append("Host: ").append(host).append("\r\n");
        frame.append("X-Amz-Date: ").append(headers.get("X-Amz-Date")).append("\r\n");
        if (headers.containsKey("X-Amz-Security-Token")) {
            frame.append("X-Amz-Security-Token: ").append(headers.get("X-Amz-Security-Token")).append("\r\n");
        }
        return frame.append("\r\n").append(json).toString();
    }

    private static String hostOf(URI uri) {
        return uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    /** SigV4 for service ecs over GET, signing {@code host;x-amz-date} only. */
    private Map<String, String> signedHeaders(String host, String path, String canonicalQuery, String payloadSha256,
            AwsCredentialsIdentity identity) {
        String amzDate = AMZ_DATE.format(clock.instant());
        String date = amzDate.substring(0, 8);
        String scope = date + "/" + region + "/ecs/aws4_request";
        String canonicalRequest = "GET\n" + path + "\n" + canonicalQuery + "\nhost:" + host + "\nx-amz-date:"
                + amzDate + "\n\nhost;x-amz-date\n" + payloadSha256;
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
        byte[] key = ("AWS4" + identity.secretAccessKey()).getBytes(StandardCharsets.UTF_8);
        for (String element : List.of(date, region, "ecs", "aws4_request")) {
            key = hmac(key, element);
        }
        String signature = HexFormat.of().formatHex(hmac(key, stringToSign));

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + identity.accessKeyId() + "/" + scope
                + ", SignedHeaders=host;x-amz-date, Signature=" + signature);
        headers.put("X-Amz-Date", amzDate);
        if (identity instanceof AwsSessionCredentialsIdentity session) {
            headers.put("X-Amz-Security-Token", session.sessionToken());
        }
        return headers;
    }

    /** RFC 3986 encoding, as SigV4 canonicalises query parameters. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
