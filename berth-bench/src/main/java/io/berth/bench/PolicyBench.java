package io.berth.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * What IAM enforcement costs: the {@link ApiBench} mix on the same resources, first signed by the
 * account's root (which IAM never evaluates) and then by an IAM user holding ten managed policies
 * (nine that do not match the mix, one that allows it beside a Deny of something else), in
 * alternating rounds (root, user, user, root, ...) so that the machine's drift hits both alike.
 * Without {@code --endpoint} it starts a Berth server in this process.
 *
 * <p>{@code java -cp ... io.berth.bench.PolicyBench [--endpoint URL --access-key ROOT_K --secret-key ROOT_S
 * --region us-east-1 --rounds 10 --seconds 4 --warmup 10 --concurrency 8 --json out.json]}
 */
public final class PolicyBench {

    /** How hard and how long to drive; a null endpoint starts a server in this process. */
    public record Options(String endpoint, String region, String accessKeyId, String secretAccessKey, int rounds,
            int concurrency, Duration warmup, Duration measured) {
    }

    /** The measured runs of one principal, in the order they ran. */
    public record Runs(String principal, List<ApiBench.Result> rounds) {

        public double perSecond() {
            return calls() / seconds();
        }

        int calls() {
            return rounds.stream().flatMap(r -> r.operations().stream()).mapToInt(Latencies.Summary::calls).sum();
        }

        int errors() {
            return rounds.stream().flatMap(r -> r.operations().stream()).mapToInt(Latencies.Summary::errors).sum();
        }

        double seconds() {
            return rounds.stream().mapToDouble(ApiBench.Result::seconds).sum();
        }

        /** Each operation over every round: calls summed, p50 and p99 the median of the rounds' percentiles. */
        public List<Latencies.Summary> operations() {
            List<Latencies.Summary> first = rounds.getFirst().operations();
            return IntStream.range(0, first.size()).mapToObj(i -> {
                List<Latencies.Summary> each = rounds.stream().map(r -> r.operations().get(i)).toList();
                int calls = each.stream().mapToInt(Latencies.Summary::calls).sum();
                return new Latencies.Summary(first.get(i).operation(), calls,
                        each.stream().mapToInt(Latencies.Summary::errors).sum(), calls / seconds(),
                        Rounds.median(each.stream().mapToDouble(Latencies.Summary::p50Millis).toArray()),
                        Rounds.median(each.stream().mapToDouble(Latencies.Summary::p99Millis).toArray()));
            }).toList();
        }
    }

    /** Root's runs and the user's, round by round. */
    public record Result(Runs root, Runs user) {

        /** The user's throughput over root's, all rounds together. */
        public double ratio() {
            return user.perSecond() / root.perSecond();
        }

        /** The median of the rounds' ratios: one round spoilt by the machine's other work does not move it. */
        public double medianRoundRatio() {
            return Rounds.median(roundRatios().stream().mapToDouble(Double::doubleValue).toArray());
        }

        /** The same ratio round by round, for how much it moves. */
        public List<Double> roundRatios() {
            return IntStream.range(0, root.rounds().size()).mapToObj(i -> user.rounds().get(i).totalPerSecond()
                    / root.rounds().get(i).totalPerSecond()).toList();
        }

        public String table() {
            StringBuilder out = new StringBuilder();
            for (Runs runs : List.of(root, user)) {
                out.append("== ").append(runs.principal()).append('\n')
                        .append(Latencies.Summary.header()).append('\n');
                runs.operations().forEach(o -> out.append(o.row()).append('\n'));
                out.append("%-24s %8d %7d %10.1f%n".formatted("total", runs.calls(), runs.errors(), runs.perSecond()));
            }
            out.append("\nround   root req/s   user req/s   user ÷ root\n");
            List<Double> ratios = roundRatios();
            for (int i = 0; i < ratios.size(); i++) {
                out.append("%5d %12.1f %12.1f %13.3f%n".formatted(i + 1, root.rounds().get(i).totalPerSecond(),
                        user.rounds().get(i).totalPerSecond(), ratios.get(i)));
            }
            out.append("%5s %12.1f %12.1f %13.3f%n".formatted("all", root.perSecond(), user.perSecond(), ratio()));
            out.append("median of the rounds' ratios: %.3f%n".formatted(medianRoundRatio()));
            return out.toString();
        }

        public String json() {
            return "{\"ratio\":%.4f,\"medianRoundRatio\":%.4f,\"roundRatios\":%s,\"root\":%s,\"user\":%s}".formatted(
                    ratio(), medianRoundRatio(), roundRatios(),
                    json(root), json(user));
        }

        private static String json(Runs runs) {
            return "{\"principal\":\"%s\",\"perSecond\":%.1f,\"rounds\":[%s]}".formatted(runs.principal(),
                    runs.perSecond(), String.join(",", runs.rounds().stream().map(ApiBench.Result::json).toList()));
        }
    }

    private PolicyBench() {
    }

    public static Result run(Options options) {
        if (options.endpoint() != null) {
            return run(options, options.endpoint(), options.accessKeyId(), options.secretAccessKey());
        }
        return LocalServer.run(options.region(), (endpoint, keyId, secret) -> run(options, endpoint, keyId, secret));
    }

    private static Result run(Options options, String endpoint, String rootKeyId, String rootSecret) {
        String cluster = "bench-policy-" + Long.toHexString(System.nanoTime());
        ApiBench.Options api = new ApiBench.Options(endpoint, options.region(), rootKeyId, rootSecret, cluster,
                List.of("i-0" + Long.toHexString(System.nanoTime())), options.concurrency(), options.warmup(),
                options.measured());
        software.amazon.awssdk.services.iam.model.AccessKey userKey;
        String rootArn;
        String userArn;
        try (IamClient iam = iamClient(endpoint, rootKeyId, rootSecret)) {
            rootArn = iam.getUser().user().arn();
            String account = rootArn.split(":")[4];
            String userName = cluster + "-user";
            userArn = iam.createUser(r -> r.userName(userName)).user().arn();
            List<String> documents = TenPolicies.documents(options.region(), account, cluster);
            for (int i = 0; i < documents.size(); i++) {
                String name = userName + "-" + i;
                String document = documents.get(i);
                String arn = iam.createPolicy(r -> r.policyName(name).policyDocument(document)).policy().arn();
                iam.attachUserPolicy(r -> r.userName(userName).policyArn(arn));
            }
            userKey = iam.createAccessKey(r -> r.userName(userName)).accessKey();
        }
        try (ApiBench root = ApiBench.prepared(api);
                ApiBench user = root.signedWith(userKey.accessKeyId(), userKey.secretAccessKey())) {
            root.drive(options.warmup());
            user.drive(options.warmup());
            Rounds.Both<ApiBench.Result> rounds = Rounds.alternate(options.rounds(),
                    () -> root.drive(options.measured()), () -> user.drive(options.measured()));
            return new Result(new Runs(rootArn, rounds.first()), new Runs(userArn, rounds.second()));
        }
    }

    private static IamClient iamClient(String endpoint, String accessKeyId, String secretAccessKey) {
        return IamClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId,
                        secretAccessKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Options options = new Options(
                args.get("endpoint", null),
                args.get("region", System.getenv().getOrDefault("AWS_DEFAULT_REGION", "us-east-1")),
                args.get("access-key", System.getenv().get("AWS_ACCESS_KEY_ID")),
                args.get("secret-key", System.getenv().get("AWS_SECRET_ACCESS_KEY")),
                args.getInt("rounds", 10),
                args.getInt("concurrency", 8),
                Duration.ofMillis((long) (args.getDouble("warmup", 10) * 1000)),
                Duration.ofMillis((long) (args.getDouble("seconds", 4) * 1000)));
        System.out.println("Policy cost: the API mix as root and as a user with ten policies, " + options.rounds()
                + " rounds of " + options.measured().toMillis() / 1000.0 + " s each, " + options.concurrency()
                + " calls in flight" + (options.endpoint() == null ? ", server in this process" : ", "
                        + options.endpoint()));
        Result result = run(options);
        System.out.print(result.table());
        String json = args.get("json", null);
        if (json != null) {
            Files.writeString(Path.of(json), result.json());
        }
    }
}
