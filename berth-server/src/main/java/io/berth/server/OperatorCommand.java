package io.berth.server;

import io.berth.agent.tls.ServerTrust;
import io.berth.server.http.OperatorHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * An operator command ({@code berth nodes}, {@code berth fargate-hosts}): where to ask and as whom, and a GET of one of
 * the server's own {@code /_berth/} paths signed with SigV4 as an account's root, which prints the JSON answer.
 */
abstract class OperatorCommand implements Callable<Integer> {

    private final String path;

    @Option(names = "--endpoint", required = true, description = "Any node, such as https://berth-1:8773.")
    URI endpoint;

    @Option(names = "--region", defaultValue = "us-east-1", description = "Region to sign for (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = {"--credentials-file", "--credentials"},
            description = "An AWS shared-credentials file with a root key, such as the first node's <data-dir>/credentials "
                    + "(default: the AWS SDK's usual places).")
    Path credentialsFile;

    @Option(names = "--ca-bundle", paramLabel = "PEM", description = "Certificates of CAs to trust the node through "
            + "besides the JVM's trust store, such as the node's <data-dir>/ca.pem.")
    Path caBundle;

    @Option(names = "--profile", defaultValue = "default", description = "Profile in the credentials file (default: ${DEFAULT-VALUE}).")
    String profile;

    OperatorCommand(String path) {
        this.path = path;
    }

    /** GETs the path signed for the operator's service, prints the answer and answers the exit code: 0 for a 200. */
    @Override
    public final Integer call() throws Exception {
        AwsCredentialsProvider credentials = AgentCommand.credentials(credentialsFile, profile);
        String base = endpoint.toString().replaceAll("/+$", "");
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create(base + path))
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(unsigned)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, OperatorHandler.SIGNING_NAME)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.request().getUri())
                .timeout(Duration.ofSeconds(30))
                .GET();
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        ServerTrust trust = caBundle == null ? ServerTrust.jvmDefault() : ServerTrust.withCaBundle(caBundle);
        try (HttpClient client = trust.httpClient().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                System.err.println(response.body());
                return 1;
            }
            System.out.println(response.body());
            return 0;
        }
    }
}
