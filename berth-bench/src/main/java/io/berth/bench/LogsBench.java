package io.berth.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;

/**
 * The CloudWatch Logs benchmark against any Logs endpoint (Berth, moto, AWS), one phase per run:
 * <ul>
 * <li>{@code ingest}: PutLogEvents of 1,000-event batches of 100-byte messages into one stream from
 * several clients at once, until the given number of events is stored; every {@code --needle-every}-th
 * message carries the word {@code needle}. Prints events per second.</li>
 * <li>{@code get}: GetLogEvents of the last 1,000 events of the stream, again and again. Prints the
 * latencies.</li>
 * <li>{@code filter}: FilterLogEvents of {@code needle} over the whole group, paging to the end, a few
 * times. Prints the time of a whole search and what it found.</li>
 * </ul>
 * Each phase prints one JSON line for the comparison.
 *
 * <p>{@code java -cp ... io.berth.bench.LogsBench --endpoint http://127.0.0.1:8773 --phase ingest
 * --group /bench/a --stream s [--events 1000000 --concurrency 8 --needle-every 1000 --calls 200 --runs 5]}
 */
public final class LogsBench {

    static final int BATCH = 1_000;
    static final int MESSAGE_BYTES = 100;

    private LogsBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String phase = options.get("phase");
        String group = options.get("group");
        String stream = options.getOrDefault("stream", "s");
        try (CloudWatchLogsClient logs = client(options.get("endpoint"), options.getOrDefault("region", "us-east-1"))) {
            String json = switch (phase) {
                case "ingest" -> ingest(logs, group, stream, Long.parseLong(options.getOrDefault("events", "1000000")),
                        Integer.parseInt(options.getOrDefault("concurrency", "8")),
                        Integer.parseInt(options.getOrDefault("needle-every", "1000")));
                case "get" -> get(logs, group, stream, Integer.parseInt(options.getOrDefault("calls", "200")));
                case "filter" -> filter(logs, group, Integer.parseInt(options.getOrDefault("runs", "5")));
                default -> throw new IllegalArgumentException("--phase must be ingest, get or filter");
            };
            System.out.println(json);
        }
    }

    static String ingest(CloudWatchLogsClient logs, String group, String stream, long events, int concurrency,
            int needleEvery) throws Exception {
        try {
            logs.createLogGroup(r -> r.logGroupName(group));
        } catch (ResourceAlreadyExistsException e) {
            // A second ingest into the same group adds to it.
        }
        try {
            logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
        } catch (ResourceAlreadyExistsException e) {
            // Likewise.
        }
        AtomicLong next = new AtomicLong();
        long batches = (events + BATCH - 1) / BATCH;
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    long batch;
                    while ((batch = next.getAndIncrement()) < batches) {
                        List<InputLogEvent> batchEvents = batch(batch * BATCH, needleEvery);
                        logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(batchEvents));
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long stored = batches * BATCH;
        System.err.printf("ingest: %,d events in %.1f s: %,.0f events/s%n", stored, seconds, stored / seconds);
        return "{\"phase\":\"ingest\",\"events\":%d,\"seconds\":%.3f,\"eventsPerSecond\":%.1f}"
                .formatted(stored, seconds, stored / seconds);
    }

    /** A batch of 100-byte messages with timestamps a millisecond apart, ending about now. */
    static List<InputLogEvent> batch(long firstNumber, int needleEvery) {
        long now = System.currentTimeMillis();
        List<InputLogEvent> events = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            // "event <12 digits> needle|hay " and letters to 100 bytes, built without a formatter: the
            // benchmark measures the server, and shares the machine with it.
            long number = firstNumber + i;
            String digits = Long.toString(number);
            StringBuilder message = new StringBuilder(MESSAGE_BYTES).append("event ")
                    .repeat('0', Math.max(0, 12 - digits.length())).append(digits)
                    .append(number % needleEvery == 0 ? " needle " : " hay ");
            while (message.length() < MESSAGE_BYTES) {
                message.append((char) ('a' + message.length() % 26));
            }
            events.add(InputLogEvent.builder().timestamp(now - BATCH + i).message(message.toString()).build());
        }
        return events;
    }

    static String get(CloudWatchLogsClient logs, String group, String stream, int calls) {
        long[] nanos = new long[calls];
        int events = 0;
        for (int i = -Math.min(20, calls); i < calls; i++) {
            long start = System.nanoTime();
            GetLogEventsResponse page = logs.getLogEvents(r -> r.logGroupName(group).logStreamName(stream).limit(BATCH));
            if (i >= 0) {
                nanos[i] = System.nanoTime() - start;
                events = page.events().size();
            }
        }
        Arrays.sort(nanos);
        double p50 = nanos[calls / 2] / 1e6;
        double p99 = nanos[Math.min(calls - 1, calls * 99 / 100)] / 1e6;
        System.err.printf("get: last %d events, p50 %.2f ms, p99 %.2f ms over %d calls%n", events, p50, p99, calls);
        return "{\"phase\":\"get\",\"events\":%d,\"p50Millis\":%.3f,\"p99Millis\":%.3f}".formatted(events, p50, p99);
    }

    static String filter(CloudWatchLogsClient logs, String group, int runs) {
        double[] seconds = new double[runs];
        int found = 0;
        int pages = 0;
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            found = 0;
            pages = 0;
            String token = null;
            do {
                String asked = token;
                FilterLogEventsResponse page = logs.filterLogEvents(r -> r.logGroupName(group).filterPattern("needle")
                        .nextToken(asked));
                found += page.events().size();
                pages++;
                token = page.nextToken();
            } while (token != null);
            seconds[run] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        double median = seconds[runs / 2];
        System.err.printf("filter: %d events found in %d pages, median %.3f s over %d runs%n", found, pages, median,
                runs);
        return "{\"phase\":\"filter\",\"found\":%d,\"pages\":%d,\"medianSeconds\":%.4f}".formatted(found, pages, median);
    }

    static CloudWatchLogsClient client(String endpoint, String region) {
        return CloudWatchLogsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", "bench"),
                        System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", "bench"))))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(5)).build())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1))
                        .apiCallTimeout(Duration.ofMinutes(10)))
                .build();
    }

    private static Map<String, String> options(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("Options come as --name value pairs");
        }
        return java.util.stream.IntStream.range(0, args.length / 2).boxed().collect(Collectors.toMap(
                i -> args[2 * i].replaceFirst("^--", ""), i -> args[2 * i + 1], (a, b) -> b,
                java.util.LinkedHashMap::new));
    }
}
