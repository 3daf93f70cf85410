package io.custops.local.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.custops.local.LocalStack;
import io.custops.local.infra.Keycloak;
import io.custops.local.infra.Postgres;
import io.custops.local.infra.Workspace;

/**
 * The segmentation scale benchmark of issue 4 (./custops bench-scores, against a running stack): loads one
 * million customers and about twenty million orders from {@link SyntheticData} straight into the segmentation
 * service's fact tables with COPY (through Kafka that would take hours; this is how a warehouse backfill would
 * arrive), then times the whole-base recompute from the raw orders and from the rollups through the service's job
 * API, and the time from an order posted to the profile API until the customer is listed in a segment the order
 * qualifies them for. Writes deploy/local/target/bench/scores-results.json. It replaces the segmentation
 * service's customer data.
 */
public final class ScoresBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PROFILE = "http://localhost:8101";
    private static final String SEGMENTATION = "http://localhost:8102";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Map<String, Object> results = new LinkedHashMap<>();
    private final SyntheticData data;
    private final Keycloak keycloak;

    private ScoresBenchmark(long seed, Keycloak keycloak) {
        this.data = new SyntheticData(seed);
        this.keycloak = keycloak;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Long> options = new LinkedHashMap<>(Map.of("customers", 1_000_000L, "seed", 7L, "load", 1L, "samples", 20L));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), Long.parseLong(args[i + 1]));
        }
        Keycloak keycloak = Keycloak.start(LocalStack.KEYCLOAK_PORT);
        ScoresBenchmark bench = new ScoresBenchmark(options.get("seed"), keycloak);
        bench.results.put("startedAt", Instant.now().toString());
        bench.results.put("cores", Runtime.getRuntime().availableProcessors());
        bench.results.put("options", options);
        if (options.get("load") != 0) {
            bench.load(options.get("customers"));
        }
        bench.recompute(true, "recomputeFromOrders");
        bench.recompute(false, "recomputeFromRollups");
        bench.results.put("distribution", JSON.readTree(bench.get(SEGMENTATION + "/api/scores/distribution")));
        bench.latency(options.get("samples").intValue());
        Path out = Workspace.root().resolve("deploy/local/target/bench");
        Files.createDirectories(out);
        Files.writeString(out.resolve("scores-results.json"), JSON.writeValueAsString(bench.results));
        System.out.println(JSON.writeValueAsString(bench.results));
        keycloak.close();
    }

    /** Replaces the segmentation data with the synthetic customers and their orders, loaded with COPY. */
    private void load(long customers) throws Exception {
        Postgres postgres = Postgres.local();
        Instant now = Instant.now();
        long orders = 0;
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("custops_segmentation"), Postgres.USER, Postgres.PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE order_fact, refund_fact, interaction_fact, feedback_fact, complaint_resolution, customer_tag,"
                    + " customer_score, lifecycle_history, segment_member, merged_customer, erased_customer");
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            CopyIn scores = copy.copyIn("COPY customer_score (customer_id, version, lifecycle_stage, updated_at, registered_at)"
                    + " FROM STDIN (FORMAT csv)");
            StringBuilder chunk = new StringBuilder();
            for (long i = 0; i < customers; i++) {
                chunk.append(data.customerId(i)).append(",0,ACQUISITION,").append(now).append(',')
                        .append(now.minusSeconds(86400L * (400 + i % 300))).append('\n');
                flushIfFull(scores, chunk);
            }
            flush(scores, chunk);
            scores.endCopy();
            CopyIn facts = copy.copyIn("COPY order_fact (customer_id, order_id, placed_at, amount, currency, channel, store,"
                    + " source, skus, categories, item_count) FROM STDIN (FORMAT csv)");
            for (long i = 0; i < customers; i++) {
                UUID id = data.customerId(i);
                for (SyntheticData.Order o : data.orders(i, now)) {
                    chunk.append(id).append(',').append(o.orderId()).append(',').append(o.placedAt()).append(',')
                            .append(o.amount().toPlainString()).append(',').append(o.currency()).append(",store,S")
                            .append(i % 40).append(",pos,\"{").append(o.sku()).append("}\",\"{").append(o.category())
                            .append("}\",1\n");
                    orders++;
                }
                flushIfFull(facts, chunk);
            }
            flush(facts, chunk);
            facts.endCopy();
            s.execute("ANALYZE order_fact");
            s.execute("ANALYZE customer_score");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        put("loadedCustomers", customers, "");
        put("loadedOrders", orders, "");
        put("loadSeconds", seconds, "COPY of customers and orders into the fact tables, with their indexes, and ANALYZE");
    }

    private void recompute(boolean fromFacts, String name) throws Exception {
        long start = System.nanoTime();
        JsonNode job = JSON.readTree(send("POST", SEGMENTATION + "/api/scores/jobs", "{\"fromFacts\":" + fromFacts + "}", 202));
        String id = job.path("id").asText();
        JsonNode state;
        do {
            Thread.sleep(500);
            state = JSON.readTree(get(SEGMENTATION + "/api/scores/jobs/" + id));
        } while (!state.path("state").asText().equals("completed") && !state.path("state").asText().equals("failed"));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!state.path("state").asText().equals("completed")) {
            throw new IllegalStateException(name + " failed: " + state);
        }
        put(name + "Seconds", seconds, (fromFacts ? "rollups from the raw orders, then " : "") + "a new scoring model (quintile"
                + " edges, tier cut-offs) and every customer's scores and segment memberships, in slices, through the job API");
        put(name + "Changed", state.path("changed").asLong(), "customers whose scores or segment memberships changed");
    }

    /** Order posted to the profile API → the customer listed as a member of a segment the order qualifies them for. */
    private void latency(int samples) throws Exception {
        String store = "bench-latency-" + UUID.randomUUID();
        List<UUID> customers = new ArrayList<>();
        for (int k = 0; k < samples; k++) {
            JsonNode created = JSON.readTree(send("POST", PROFILE + "/api/profiles", "{\"identifiers\":[{\"type\":\"email\","
                    + "\"value\":\"" + store + "-" + k + "@example.test\"}],\"source\":\"bench\"}", 201));
            customers.add(UUID.fromString(created.path("id").asText()));
        }
        for (UUID customer : customers) {
            while (!exists(SEGMENTATION + "/api/scores/" + customer)) {
                Thread.sleep(100);
            }
        }
        JsonNode segment = JSON.readTree(send("POST", SEGMENTATION + "/api/segments", "{\"name\":\"" + store + "\",\"kind\":\"rule\","
                + "\"definition\":{\"performed\":{\"event\":\"order\",\"where\":[{\"field\":\"store\",\"op\":\"eq\",\"value\":\""
                + store + "\"}]}}}", 201));
        String id = segment.path("id").asText();
        while (JSON.readTree(get(SEGMENTATION + "/api/segments/" + id)).path("evaluatedAt").isNull()) {
            Thread.sleep(500); // the segment's first evaluation over every customer
        }
        List<Double> millis = new ArrayList<>();
        for (int k = 0; k < customers.size(); k++) {
            UUID customer = customers.get(k);
            String before = new UUID(customer.getMostSignificantBits(), customer.getLeastSignificantBits() - 1).toString();
            long start = System.nanoTime();
            send("POST", PROFILE + "/api/events", "{\"events\":[{\"eventId\":\"" + store + "-" + k + "\",\"type\":\"OrderPlaced\","
                    + "\"customerId\":\"" + customer + "\",\"occurredAt\":\"" + Instant.now() + "\",\"source\":\"pos\","
                    + "\"data\":{\"orderId\":\"" + store + "-" + k + "\",\"store\":\"" + store + "\",\"total\":{\"value\":\"10.00\","
                    + "\"currency\":\"CNY\"}}}]}", 200);
            while (!get(SEGMENTATION + "/api/segments/" + id + "/members?limit=1&after=" + before).contains(customer.toString())) {
                Thread.sleep(20);
            }
            millis.add((System.nanoTime() - start) / 1e6);
        }
        millis.sort(null);
        put("eventToSegmentMillisP50", millis.get(millis.size() / 2), "order posted to the profile API until the customer is "
                + "listed in the segment (through Kafka, segmentation's consumer, scoring and membership), polled every 20 ms");
        put("eventToSegmentMillisMax", millis.get(millis.size() - 1), "");
        put("eventToSegmentSamples", millis.size(), "");
    }

    private void flushIfFull(CopyIn copy, StringBuilder chunk) throws Exception {
        if (chunk.length() > 1 << 20) {
            flush(copy, chunk);
        }
    }

    private static void flush(CopyIn copy, StringBuilder chunk) throws Exception {
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        chunk.setLength(0);
    }

    private String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token()).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private boolean exists(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token()).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    private String send(String method, String url, String body, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token())
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " gave " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private String cached;
    private long cachedAt;

    /** An admin token, renewed every minute (they live five). */
    private String token() {
        if (cached == null || System.currentTimeMillis() - cachedAt > 60_000) {
            cached = keycloak.passwordToken("admin", "admin");
            cachedAt = System.currentTimeMillis();
        }
        return cached;
    }

    private void put(String key, Object value, String note) {
        Object shown = value instanceof Double d ? Math.round(d * 100) / 100.0 : value;
        results.put(key, note.isEmpty() ? shown : Map.of("value", shown, "note", note));
        System.out.println(key + " = " + shown);
    }
}
