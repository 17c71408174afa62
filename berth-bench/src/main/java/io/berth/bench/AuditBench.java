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
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;

/**
 * What the audit trail costs: the {@link ApiBench} mix against two servers in this process, one recording the
 * trail (as every server does) and one started with {@code -Dberth.audit=off}, in alternating rounds so that the
 * machine's drift hits both alike. The mix's writes (RegisterTaskDefinition, RunTask) are recorded; its reads are
 * not.
 *
 * <p>{@code java -cp ... io.berth.bench.AuditBench [--region us-east-1 --rounds 10 --seconds 4 --warmup 10
 * --concurrency 8 --json out.json]}
 */
public final class AuditBench {

    /** The switch a server reads when it starts; only this benchmark turns the trail off. */
    static final String AUDIT_PROPERTY = "berth.audit";

    /** How hard and how long to drive. */
    public record Options(String region, int rounds, int concurrency, Duration warmup, Duration measured) {
    }

    /**
     * The runs without the trail and with it, round by round, and how many RunTask events each server's trail
     * showed afterwards (its first page, at most 50): none without, some with.
     */
    public record Result(PolicyBench.Runs without, PolicyBench.Runs with, int eventsWithout, int eventsWith) {

        /** Throughput with the trail over without, all rounds together. */
        public double ratio() {
            return with.perSecond() / without.perSecond();
        }

        public double medianRoundRatio() {
            return Rounds.median(roundRatios().stream().mapToDouble(Double::doubleValue).toArray());
        }

        public List<Double> roundRatios() {
            return IntStream.range(0, without.rounds().size()).mapToObj(i -> with.rounds().get(i).totalPerSecond()
                    / without.rounds().get(i).totalPerSecond()).toList();
        }

        public String table() {
            StringBuilder out = new StringBuilder();
            for (PolicyBench.Runs runs : List.of(without, with)) {
                out.append("== ").append(runs.principal()).append('\n')
                        .append(Latencies.Summary.header()).append('\n');
                runs.operations().forEach(o -> out.append(o.row()).append('\n'));
                out.append("%-24s %8d %7d %10.1f%n".formatted("total", runs.calls(), runs.errors(), runs.perSecond()));
            }
            out.append("\nround  without req/s   with req/s   with ÷ without\n");
            List<Double> ratios = roundRatios();
            for (int i = 0; i < ratios.size(); i++) {
                out.append("%5d %14.1f %12.1f %16.3f%n".formatted(i + 1, without.rounds().get(i).totalPerSecond(),
                        with.rounds().get(i).totalPerSecond(), ratios.get(i)));
            }
            out.append("%5s %14.1f %12.1f %16.3f%n".formatted("all", without.perSecond(), with.perSecond(), ratio()));
            out.append("median of the rounds' ratios: %.3f%n".formatted(medianRoundRatio()));
            return out.toString();
        }

        public String json() {
            return "{\"ratio\":%.4f,\"medianRoundRatio\":%.4f,\"roundRatios\":%s,\"withoutPerSecond\":%.1f,"
                    .formatted(ratio(), medianRoundRatio(), roundRatios(), without.perSecond())
                    + "\"withPerSecond\":%.1f}".formatted(with.perSecond());
        }
    }

    private AuditBench() {
    }

    public static Result run(Options options) {
        return LocalServer.run(options.region(), (audited, auditedKey, auditedSecret) -> {
            String before = System.getProperty(AUDIT_PROPERTY);
            System.setProperty(AUDIT_PROPERTY, "off");
            return LocalServer.run(options.region(), (plain, plainKey, plainSecret) -> {
                restore(before);
                try (ApiBench without = ApiBench.prepared(api(options, plain, plainKey, plainSecret));
                        ApiBench with = ApiBench.prepared(api(options, audited, auditedKey, auditedSecret))) {
                    without.drive(options.warmup());
                    with.drive(options.warmup());
                    Rounds.Both<ApiBench.Result> rounds = Rounds.alternate(options.rounds(),
                            () -> without.drive(options.measured()), () -> with.drive(options.measured()));
                    return new Result(new PolicyBench.Runs("without the audit trail", rounds.first()),
                            new PolicyBench.Runs("with the audit trail", rounds.second()),
                            runTaskEvents(options, plain, plainKey, plainSecret),
                            runTaskEvents(options, audited, auditedKey, auditedSecret));
                }
            });
        });
    }

    private static void restore(String before) {
        if (before == null) {
            System.clearProperty(AUDIT_PROPERTY);
        } else {
            System.setProperty(AUDIT_PROPERTY, before);
        }
    }

    private static int runTaskEvents(Options options, String endpoint, String keyId, String secret) {
        try (CloudTrailClient trail = CloudTrailClient.builder().endpointOverride(URI.create(endpoint))
                .region(Region.of(options.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            return trail.lookupEvents(r -> r.lookupAttributes(a -> a.attributeKey(LookupAttributeKey.EVENT_NAME)
                    .attributeValue("RunTask"))).events().size();
        }
    }

    private static ApiBench.Options api(Options options, String endpoint, String keyId, String secret) {
        return new ApiBench.Options(endpoint, options.region(), keyId, secret,
                "bench-audit-" + Long.toHexString(System.nanoTime()),
                List.of("i-0" + Long.toHexString(System.nanoTime())), options.concurrency(), options.warmup(),
                options.measured());
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Options options = new Options(
                args.get("region", System.getenv().getOrDefault("AWS_DEFAULT_REGION", "us-east-1")),
                args.getInt("rounds", 10),
                args.getInt("concurrency", 8),
                Duration.ofMillis((long) (args.getDouble("warmup", 10) * 1000)),
                Duration.ofMillis((long) (args.getDouble("seconds", 4) * 1000)));
        System.out.println("Audit trail cost: the API mix without and with the trail, " + options.rounds()
                + " rounds of " + options.measured().toMillis() / 1000.0 + " s each, " + options.concurrency()
                + " calls in flight, both servers in this process");
        Result result = run(options);
        System.out.print(result.table());
        String json = args.get("json", null);
        if (json != null) {
            Files.writeString(Path.of(json), result.json());
        }
    }
}
