package io.custops.local.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.custops.local.LocalStack;
import io.custops.local.infra.KafkaBroker;
import io.custops.local.infra.Keycloak;
import io.custops.local.infra.Postgres;
import io.custops.local.infra.Workspace;

/**
 * The benchmark runner (DESIGN.md §8): against a running local stack ({@code ./custops up}), it measures raw
 * PostgreSQL and raw Kafka baselines, a bulk profile import, batch event ingestion (HTTP-accepted and end to end
 * on Kafka) and identifier lookups under load, then writes the figures with the machine's core count to
 * {@code deploy/local/target/bench/results.json}.
 */
public final class Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PROFILE = "http://localhost:8101";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build(); // one connection per client thread, like a pooled HTTP client

    private final Map<String, Object> results = new LinkedHashMap<>();
    private final SyntheticData data;
    private final java.util.function.Supplier<String> tokens;
    private boolean waitForConsumers = true;
    private String token;
    private long tokenAt;

    private Benchmark(long seed, java.util.function.Supplier<String> tokens) {
        this.data = new SyntheticData(seed);
        this.tokens = tokens;
    }

    /** A fresh access token: the realm's tokens live minutes, a million-row import runs longer. */
    private synchronized String bearer() {
        if (token == null || System.nanoTime() - tokenAt > Duration.ofSeconds(60).toNanos()) {
            token = tokens.get();
            tokenAt = System.nanoTime();
        }
        return "Bearer " + token;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Long> options = new LinkedHashMap<>(Map.of("customers", 100_000L, "events", 100_000L, "lookups", 2_000L,
                "import", 1L, "seed", System.currentTimeMillis() % 100_000, "warmup", 10_000L, "lookup-rate", 50L, "consumers", 1L));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), Long.parseLong(args[i + 1]));
        }
        Keycloak keycloak = Keycloak.start(LocalStack.KEYCLOAK_PORT);
        Benchmark bench = new Benchmark(options.get("seed"), () -> keycloak.clientCredentialsToken("custops-integrator", "integrator-secret"));
        bench.results.put("startedAt", Instant.now().toString());
        bench.waitForConsumers = options.get("consumers") != 0; // --consumers 0: they are stopped, measure ingestion alone
        bench.results.put("cores", Runtime.getRuntime().availableProcessors());
        bench.results.put("options", options);
        bench.baselinePostgres(100_000);
        bench.baselineKafka(100_000);
        if (options.get("import") != 0) { // --import 0 reuses the customers an earlier run imported with this seed
            bench.importProfiles(options.get("customers"));
        }
        if (options.get("events") > 0) {
            if (options.get("warmup") > 0) { // the services' JIT compilers work through the first events: not measured
                bench.ingestEvents(options.get("customers"), options.get("warmup"));
                bench.results.keySet().removeIf(key -> key.startsWith("ingest"));
            }
            bench.ingestEvents(options.get("customers"), options.get("events"));
        }
        if (options.get("lookups") > 0) {
            bench.lookups(options.get("customers"), 800); // warm-up, not measured
            bench.results.keySet().removeIf(key -> key.startsWith("lookup"));
            bench.lookups(options.get("customers"), options.get("lookups").intValue());
            bench.pacedLookups(options.get("customers"), options.get("lookups").intValue(), options.get("lookup-rate").intValue());
        }
        Path out = Workspace.root().resolve("deploy/local/target/bench");
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.json"), JSON.writeValueAsString(bench.results));
        System.out.println(JSON.writeValueAsString(bench.results));
        keycloak.close();
    }

    private void baselinePostgres(int rows) throws Exception {
        Postgres postgres = Postgres.local();
        String payload = "x".repeat(200);
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres") + "?reWriteBatchedInserts=true",
                Postgres.USER, Postgres.PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE bench_baseline (id BIGINT PRIMARY KEY, payload TEXT)");
            c.setAutoCommit(false);
            long start = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_baseline VALUES (?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    insert.setLong(1, i);
                    insert.setString(2, payload);
                    insert.addBatch();
                    if (i % 500 == 499) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
                insert.executeBatch();
                c.commit();
            }
            put("baselinePostgresInsertsPerSecond", rows / seconds(start), "raw JDBC batched inserts of 200-byte rows, commits of 500");
        }
    }

    private void baselineKafka(int records) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.KAFKA_BOOTSTRAP);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        KafkaBroker.ensureTopics(LocalStack.KAFKA_BOOTSTRAP, List.of("custops.bench.baseline"));
        byte[] value = new byte[512];
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("custops.bench.baseline", UUID.randomUUID().toString(), value));
            }
            producer.flush();
        }
        put("baselineKafkaRecordsPerSecond", records / seconds(start), "raw producer, 512-byte records, acks=all, idempotent");
    }

    private void importProfiles(long customers) throws Exception {
        Path csv = Workspace.runDir("bench").resolve("profiles-" + customers + ".csv");
        data.writeProfilesCsv(csv, customers);
        String boundary = "custops-" + UUID.randomUUID();
        InputStream body = new SequenceInputStream(Collections.enumeration(List.of(
                part(boundary, "kind", "profiles"), part(boundary, "format", "csv"),
                bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"profiles.csv\"\r\n"
                        + "Content-Type: text/csv\r\n\r\n"),
                Files.newInputStream(csv), bytes("\r\n--" + boundary + "--\r\n"))));
        long start = System.nanoTime();
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(PROFILE + "/api/imports"))
                .header("Authorization", bearer()).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
        if (accepted.statusCode() == 200) {
            throw new IllegalStateException("this seed's file was imported before (imports are idempotent): use another --seed");
        }
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("import not accepted: " + accepted.statusCode() + " " + accepted.body());
        }
        String id = JSON.readTree(accepted.body()).path("id").asText();
        JsonNode job;
        do {
            Thread.sleep(2000);
            job = JSON.readTree(get(PROFILE + "/api/imports/" + id).body());
        } while (!"completed".equals(job.path("state").asText()));
        double elapsed = seconds(start);
        put("importProfilesRowsPerSecond", customers / elapsed, customers + " CSV rows (upload, resolution, inserts, "
                + "ProfileRegistered events) in " + Math.round(elapsed) + " s; failed rows: " + job.path("failed").asLong());
    }

    private void ingestEvents(long customers, long events) throws Exception {
        long before = activityEndOffsets();
        // each run numbers its events from its own start second, so it sends events the service has not seen yet
        long first = System.currentTimeMillis() * 1_000L;
        results.put("firstEventNumber", first);
        int batch = 500;
        int clients = 4;
        AtomicLong next = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong failedBatches = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                long offset;
                while ((offset = next.getAndAdd(batch)) < events) {
                    int size = (int) Math.min(batch, events - offset);
                    String body = "{\"events\":[" + String.join(",", data.events(customers, first + offset, size)) + "]}";
                    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(PROFILE + "/api/events"))
                            .header("Authorization", bearer()).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        failedBatches.incrementAndGet();
                        System.err.println("batch refused: " + response.statusCode() + " " + response.body());
                        continue;
                    }
                    JsonNode result = JSON.readTree(response.body());
                    accepted.addAndGet(result.path("accepted").asLong());
                    rejected.addAndGet(result.path("rejected").asLong() + result.path("duplicates").asLong());
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        double httpSeconds = seconds(start);
        pool.shutdown();
        while (activityEndOffsets() < before + accepted.get()) {
            Thread.sleep(200);
        }
        double endToEnd = seconds(start);
        put("ingestAcceptedEventsPerSecond", accepted.get() / httpSeconds, accepted.get() + " events accepted in batches of "
                + batch + ", " + clients + " concurrent clients, committed with their outbox rows; " + rejected.get()
                + " rejected or duplicate, " + failedBatches.get() + " batches refused");
        put("ingestEndToEndEventsPerSecond", accepted.get() / endToEnd, "until every event is on custops.activity.v1");
        if (!waitForConsumers) {
            return;
        }
        while (consumerLag() > 0 && seconds(start) < 1800) {
            Thread.sleep(500);
        }
        double consumed = seconds(start);
        put("ingestConsumedEventsPerSecond", accepted.get() / consumed, "until the four consuming services have committed "
                + "every custops.activity.v1 record (" + Math.round(consumed) + " s)");
    }

    private void lookups(long customers, int count) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            running.add(pool.submit(() -> {
                SplittableRandom r = new SplittableRandom(thread);
                for (int i = 0; i < count / 8; i++) {
                    String email = data.email(r.nextLong(customers));
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = get(PROFILE + "/api/profiles?identifier=email:" + email);
                    latencies.add(System.nanoTime() - t0);
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("lookup failed: " + response.statusCode());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        double elapsed = seconds(start);
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        put("lookupByIdentifierP50Ms", percentile(sorted, 0.50), "GET /api/profiles?identifier=email:…, 8 concurrent clients "
                + "back to back (saturating)");
        put("lookupByIdentifierP99Ms", percentile(sorted, 0.99), sorted.size() + " lookups, " + Math.round(sorted.size() / elapsed) + " per second");
    }

    /** Lookups at a fixed arrival rate (open loop): the latency a steady load sees, queueing included. */
    private void pacedLookups(long customers, int count, int perSecond) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        SplittableRandom r = new SplittableRandom(99);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(count);
        long periodNanos = 1_000_000_000L / perSecond;
        for (int i = 0; i < count; i++) {
            String email = data.email(r.nextLong(customers));
            clock.schedule(() -> pool.submit(() -> {
                long t0 = System.nanoTime();
                try {
                    if (get(PROFILE + "/api/profiles?identifier=email:" + email).statusCode() == 200) {
                        latencies.add(System.nanoTime() - t0);
                    }
                } catch (Exception e) {
                    System.err.println("lookup failed: " + e);
                } finally {
                    done.countDown();
                }
            }), i * periodNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        done.await();
        clock.shutdown();
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        put("lookupPacedP50Ms", percentile(sorted, 0.50), "the same lookups arriving at a steady " + perSecond + " per second");
        put("lookupPacedP99Ms", percentile(sorted, 0.99), sorted.size() + " of " + count + " lookups answered 200");
    }

    private long activityEndOffsets() throws Exception {
        try (Admin admin = admin()) {
            return endOffsets(admin).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Records on custops.activity.v1 that some consuming service has not committed yet. */
    private long consumerLag() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, Long> end = endOffsets(admin);
            long lag = 0;
            for (String group : CONSUMER_GROUPS) {
                Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                    var offset = committed.get(e.getKey());
                    lag += e.getValue() - (offset == null ? 0 : offset.offset());
                }
            }
            return lag;
        }
    }

    private static final List<String> CONSUMER_GROUPS = List.of("segmentation-service", "campaign-service",
            "community-service", "evaluation-service");

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.KAFKA_BOOTSTRAP);
        return Admin.create(props);
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        admin.describeTopics(List.of("custops.activity.v1")).allTopicNames().get().get("custops.activity.v1").partitions()
                .forEach(p -> latest.put(new TopicPartition("custops.activity.v1", p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", bearer()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void put(String name, double value, String how) {
        results.put(name, Map.of("value", Math.round(value * 10) / 10.0, "how", how));
        System.out.printf("%-36s %12.1f   %s%n", name, value, how);
    }

    private static double percentile(List<Long> sortedNanos, double p) {
        return sortedNanos.get(Math.min(sortedNanos.size() - 1, (int) Math.ceil(p * sortedNanos.size()) - 1)) / 1e6;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static InputStream part(String boundary, String name, String value) {
        return bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
