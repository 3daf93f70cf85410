package io.custops.campaign;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.custops.local.infra.Postgres;
import io.custops.local.testing.CustopsTestInfra;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * A benchmark, not a test: a broadcast to {@code custops.bench.recipients} (default 100,000) consented segment members
 * over the push channel, each rendered, safeguarded (consent, caps, cadence, global control, budget) and handed to the
 * HTTP provider on loopback, with contacts looked up in batches from the profile API's contract on loopback. The
 * segment and consents are loaded with COPY. Figures go to {@code target/bench/campaign-broadcast.json}. Run with
 * {@code ./custops bench-campaign [recipients]}; excluded from the test suite.
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(CampaignBroadcastBenchmark.Throughput.class)
class CampaignBroadcastBenchmark {

    /** The benchmark's settings: no provider rate cap (the provider on loopback takes what it gets), no quiet hours. */
    public static class Throughput implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("custops.delivery.channels.push.rate-per-second", "1000000", "custops.delivery.batch-size", "1000",
                    "custops.delivery.parallelism", "32", "custops.delivery.quiet-hours.enabled", "false",
                    "custops.campaigns.snapshot-slice", "20000");
        }
    }

    @Test
    void broadcast() throws Exception {
        int recipients = Integer.getInteger("custops.bench.recipients", 100_000);
        String stub = System.getProperty(DeliveryTestInfra.STUB_URL);
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stub + "/control/bench"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        UUID segment = UUID.randomUUID();
        Instant loadStart = Instant.now();
        try (Connection c = DriverManager.getConnection(System.getProperty(CustopsTestInfra.JDBC_PROPERTY), Postgres.USER, Postgres.PASSWORD)) {
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (int from = 0; from < recipients; from += 100_000) {
                StringBuilder members = new StringBuilder();
                StringBuilder consents = new StringBuilder();
                for (int i = from; i < Math.min(recipients, from + 100_000); i++) {
                    UUID customer = new UUID(0x5eed_0000_0000_4000L, i);
                    members.append(segment).append('\t').append(customer).append("\tbench\t2026-01-01T00:00:00Z\n");
                    consents.append(customer).append("\tpush\tmarketing\tgranted\tbench\t2026-01-01T00:00:00Z\n");
                }
                copy.copyIn("COPY segment_member (segment_id, customer_id, segment_name, since) FROM STDIN", new StringReader(members.toString()));
                copy.copyIn("COPY consent (customer_id, channel, purpose, status, source, changed_at) FROM STDIN", new StringReader(consents.toString()));
            }
            c.createStatement().execute("ANALYZE segment_member; ANALYZE consent");
        }
        Duration load = Duration.between(loadStart, Instant.now());

        String marketer = TestTokens.bearer("marketer");
        String template = Fixtures.template("push", "marketing", "Hello {customer.firstName}",
                "Our spring sale starts now: {data.code} at https://shop.example.com/spring");
        String campaign = given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"bench-%s","templateId":"%s","segmentId":"%s","data":{"code":"SPRING"},"ratePerMinute":1000000}"""
                .formatted(UUID.randomUUID(), template, segment)).post("/api/campaigns").then().statusCode(201).extract().path("id");
        Instant scheduled = Instant.now();
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{}").post("/api/campaigns/" + campaign + "/schedule").then().statusCode(200);
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() -> !"snapshotting".equals(status(campaign))
                && !"scheduled".equals(status(campaign)));
        Instant snapshotted = Instant.now();
        await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofSeconds(1)).until(() -> "completed".equals(status(campaign)));
        Instant completed = Instant.now();

        Map<String, Object> figures = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(System.getProperty(CustopsTestInfra.JDBC_PROPERTY), Postgres.USER, Postgres.PASSWORD);
                var s = c.prepareStatement("SELECT count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status <> 'sent'),"
                        + " extract(epoch FROM max(sent_at) - min(sent_at)) FROM message WHERE campaign_id = ?")) {
            s.setObject(1, UUID.fromString(campaign));
            try (var rs = s.executeQuery()) {
                rs.next();
                long sent = rs.getLong(1);
                double seconds = rs.getDouble(3);
                figures.put("date", Instant.now().toString());
                figures.put("cores", Runtime.getRuntime().availableProcessors());
                figures.put("recipients", recipients);
                figures.put("channel", "push, HTTP provider on loopback; contacts from the profile API contract on loopback");
                figures.put("loadSeconds", load.toMillis() / 1000.0);
                figures.put("snapshotSeconds", Duration.between(scheduled, snapshotted).toMillis() / 1000.0);
                figures.put("sent", sent);
                figures.put("notSent", rs.getLong(2));
                figures.put("deliverySeconds", seconds);
                figures.put("messagesPerSecond", seconds == 0 ? null : Math.round(sent / seconds));
                figures.put("endToEndSeconds", Duration.between(scheduled, completed).toMillis() / 1000.0);
                figures.put("target", "≥ 2,000 messages/s rendered, safeguarded and handed to the channel");
            }
        }
        Path out = Path.of("target/bench/campaign-broadcast.json");
        Files.createDirectories(out.getParent());
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(figures);
        Files.writeString(out, json);
        System.out.println("campaign broadcast benchmark: " + json);
    }

    private static String status(String campaign) {
        return given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/campaigns/" + campaign).then().extract().path("status");
    }
}
