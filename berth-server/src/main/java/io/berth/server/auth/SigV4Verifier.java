package io.berth.server.auth;

import io.berth.control.iam.AccessKey;
import io.berth.control.iam.AccessKeys;
import io.berth.control.iam.SessionKey;
import io.berth.model.EcsException;
import io.berth.model.UriEncoding;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 on a request: finds the key, recomputes the signature over the
 * canonical request and compares, and refuses requests signed more than {@link #MAX_SKEW} away.
 */
public final class SigV4Verifier {

    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    /**
     * What a region name may be: lower-case letters, digits and inner hyphens, as AWS's ({@code us-east-1}) and a
     * private cloud's own ({@code dc1}) are; it becomes part of ARNs, so never a colon or a slash.
     */
    private static final Pattern REGION = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?");

    private static final String INVALID_TOKEN = "The security token included in the request is invalid.";

    private final AccessKeys keys;
    private final Function<String, Optional<SessionKey>> sessions;
    private final Clock clock;

    public SigV4Verifier(AccessKeys keys, Clock clock) {
        this(keys, id -> Optional.empty(), clock);
    }

    /**
     * @param sessions the temporary credentials by key id, whose requests must carry their session
     *     token ({@code X-Amz-Security-Token}) and arrive before they expire
     */
    public SigV4Verifier(AccessKeys keys, Function<String, Optional<SessionKey>> sessions, Clock clock) {
        this.keys = keys;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** The parsed {@code Authorization} header. */
    record Authorization(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
            String signature) {

        String credentialScope() {
            return date + "/" + region + "/" + service + "/aws4_request";
        }
    }

    public Identity verify(SignedRequest request) {
        Authorization authorization = parse(request);
        String token = request.header("x-amz-security-token");
        Optional<SessionKey> session = token == null ? Optional.empty() : sessions.apply(authorization.accessKeyId());
        if (session.isPresent()) {
            return verifySession(session.get(), token, authorization, request);
        }
        AccessKey key = keys.find(authorization.accessKeyId())
                .orElseThrow(() -> new EcsException("UnrecognizedClientException", 400, INVALID_TOKEN));
        if (token != null) {
            // A long-term key signs without a token; a token with it is not one STS issued for it.
            throw new EcsException("UnrecognizedClientException", 400, INVALID_TOKEN);
        }
        String amzDate = requestDate(request);
        checkSkew(amzDate);
        checkScopeDate(authorization, amzDate);
        checkSignature(key.secretAccessKey(), authorization, amzDate, request);
        return new Identity(key.accountId(), key.principalArn(), key.accessKeyId(), authorization.region());
    }

    private Identity verifySession(SessionKey session, String token, Authorization authorization,
            SignedRequest request) {
        if (!session.matches(token)) {
            throw new EcsException("UnrecognizedClientException", 400, INVALID_TOKEN);
        }
        String amzDate = requestDate(request);
        checkSkew(amzDate);
        checkScopeDate(authorization, amzDate);
        checkSignature(session.secretAccessKey(), authorization, amzDate, request);
        if (session.expiredAt(clock.instant())) {
            throw new EcsException("ExpiredTokenException", 400, "The security token included in the request is expired");
        }
        return new Identity(session.accountId(), session.principalArn(), session.accessKeyId(), authorization.region());
    }

    /** A signing key is derived for one day: the scope's date must be the day the request was signed. */
    private static void checkScopeDate(Authorization authorization, String amzDate) {
        if (!amzDate.startsWith(authorization.date()) || authorization.date().length() != 8) {
            throw new EcsException("InvalidSignatureException", 400, "Date in Credential scope does not match "
                    + "YYYYMMDD from ISO-8601 version of date from HTTP: '" + authorization.date() + "' != '"
                    + amzDate.substring(0, Math.min(8, amzDate.length())) + "', from '" + amzDate + "'.");
        }
    }

    /**
     * Refuses a request signed for another service than {@code expected} (a key derived for {@code iam} does not
     * sign {@code ecs} calls); an unsigned request, which only development mode lets through, has none to check.
     */
    public static void requireService(SignedRequest request, String expected) {
        Optional<String> service = claimedService(request);
        if (service.isPresent() && !service.get().equals(expected)) {
            throw new EcsException("InvalidSignatureException", 400,
                    "Credential should be scoped to correct service: '" + expected + "'.");
        }
    }

    private static void checkSignature(String secret, Authorization authorization, String amzDate,
            SignedRequest request) {
        String expected = signature(secret, authorization, amzDate, request);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                authorization.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw new EcsException("InvalidSignatureException", 400,
                    "The request signature we calculated does not match the signature you provided. "
                            + "Check your AWS Secret Access Key and signing method.");
        }
    }

    /** The region a request claims in its credential scope, without checking the signature. */
    public static Optional<String> claimedRegion(SignedRequest request) {
        try {
            return Optional.of(parse(request).region());
        } catch (EcsException e) {
            return Optional.empty();
        }
    }

    /** The service a request claims in its credential scope ({@code ecs}, {@code iam}), without checking the signature. */
    public static Optional<String> claimedService(SignedRequest request) {
        try {
            return Optional.of(parse(request).service());
        } catch (EcsException e) {
            return Optional.empty();
        }
    }

    static Authorization parse(SignedRequest request) {
        String header = request.header("authorization");
        if (header == null || header.isBlank()) {
            throw new EcsException("MissingAuthenticationTokenException", 403, "Missing Authentication Token");
        }
        if (!header.startsWith(ALGORITHM + " ")) {
            throw new EcsException("IncompleteSignatureException", 400,
                    "Authorization header requires the " + ALGORITHM + " algorithm.");
        }
        Map<String, String> parts = new TreeMap<>();
        for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            throw new EcsException("IncompleteSignatureException", 400,
                    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            throw new EcsException("IncompleteSignatureException", 400,
                    "Credential should be scoped to a valid region, like <key>/<date>/<region>/<service>/aws4_request.");
        }
        if (!REGION.matcher(scope[2]).matches()) {
            throw new EcsException("InvalidSignatureException", 400,
                    "Credential should be scoped to a valid region, not '" + scope[2] + "'.");
        }
        List<String> signed = Arrays.asList(signedHeaders.split(";"));
        if (!signed.contains("host")) {
            throw new EcsException("InvalidSignatureException", 400,
                    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        // The target names the operation: unsigned, a captured request could be replayed as another operation.
        if (request.header("x-amz-target") != null && !signed.contains("x-amz-target")) {
            throw new EcsException("InvalidSignatureException", 400,
                    "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
        }
        return new Authorization(scope[0], scope[1], scope[2], scope[3], signed, signature);
    }

    private static String requestDate(SignedRequest request) {
        String amzDate = request.header("x-amz-date");
        if (amzDate == null) {
            throw new EcsException("IncompleteSignatureException", 400,
                    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        return amzDate;
    }

    private void checkSkew(String amzDate) {
        Instant signedAt;
        try {
            signedAt = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            throw new EcsException("IncompleteSignatureException", 400, "X-Amz-Date is not a valid date: " + amzDate);
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            throw new EcsException("InvalidSignatureException", 400, "Signature expired: " + amzDate
                    + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW))
                    + " (" + AMZ_DATE.format(now) + " - 15 min.)");
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw new EcsException("InvalidSignatureException", 400, "Signature not yet current: " + amzDate
                    + " is still later than " + AMZ_DATE.format(now.plus(MAX_SKEW))
                    + " (" + AMZ_DATE.format(now) + " + 15 min.)");
        }
    }

    static String signature(String secret, Authorization authorization, String amzDate, SignedRequest request) {
        String canonicalRequest = canonicalRequest(authorization.signedHeaders(), request);
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + authorization.credentialScope() + "\n"
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] signingKey = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), authorization.date());
        signingKey = hmac(signingKey, authorization.region());
        signingKey = hmac(signingKey, authorization.service());
        signingKey = hmac(signingKey, "aws4_request");
        return HEX.formatHex(hmac(signingKey, stringToSign));
    }

    static String canonicalRequest(List<String> signedHeaders, SignedRequest request) {
        StringBuilder canonical = new StringBuilder(512);
        canonical.append(request.method()).append('\n');
        canonical.append(canonicalPath(request.path())).append('\n');
        canonical.append(canonicalQuery(request.rawQuery())).append('\n');
        for (String name : signedHeaders) {
            List<String> values = request.headers().getOrDefault(name, List.of());
            canonical.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    canonical.append(',');
                }
                canonical.append(values.get(i).trim().replaceAll(" +", " "));
            }
            canonical.append('\n');
        }
        canonical.append('\n').append(String.join(";", signedHeaders)).append('\n');
        // The hash of the body received, never the one a header claims: a claimed hash would let a captured
        // signature carry another body.
        String payloadHash = HEX.formatHex(sha256(request.body()));
        String claimed = request.header("x-amz-content-sha256");
        if (claimed != null && !claimed.equalsIgnoreCase(payloadHash)) {
            throw new EcsException("InvalidSignatureException", 400,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        canonical.append(payloadHash);
        return canonical.toString();
    }

    private static String canonicalPath(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            segments.add(uriEncode(percentDecode(segment)));
        }
        return String.join("/", segments);
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
            if (!"X-Amz-Signature".equals(name)) {
                pairs.add(new String[] {uriEncode(name), uriEncode(value)});
            }
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder out = new StringBuilder();
        for (String[] pair : pairs) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    /** A URI component decoded; a malformed escape leaves nothing to verify a signature over. */
    private static String percentDecode(String component) {
        try {
            return URLDecoder.decode(component, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new EcsException("InvalidSignatureException", 400,
                    "The request URI is not validly percent-encoded: " + component);
        }
    }

    static String uriEncode(String value) {
        return UriEncoding.encode(value);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
