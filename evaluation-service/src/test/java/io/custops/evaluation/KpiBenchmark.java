package io.custops.evaluation;

import static io.restassured.RestAssured.given;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.custops.evaluation.kpis.KpiRollup;
import io.custops.local.infra.Postgres;
import io.custops.local.testing.CustopsTestInfra;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/**
 * A benchmark, not a test: {@code custops.bench.events} (default 10,000,000) facts over one year for a million customers
 * (orders, refunds, interactions, feedback, messages with their funnel, points, referrals, registrations, profile
 * changes; every customer in a tier, a tenth in each of ten segments, a fifth in one of five communities), loaded set-based,
 * then the customer classes of those memberships (timed apart), then the cold full KPI computation (every KPI, grain and
 * group) through the API, then the dashboard's queries on
 * the rollups, each 200 times, with their p50/p99. Figures go to {@code target/bench/kpis.json}. Run with
 * {@code ./custops bench-kpis [events]}; excluded from the test suite.
 */
@QuarkusTest
@Tag("benchmark")
class KpiBenchmark {
    private static final int CUSTOMERS = 1_000_000;

    @Inject
    KpiRollup rollup;

    @Test
    void kpisOverTenMillionEvents() throws Throwable {
        long events = Long.getLong("custops.bench.events", 10_000_000L);
        double f = events / 10_000_000.0;
        Instant loadStart = Instant.now();
        Map<String, Long> loaded = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(System.getProperty(CustopsTestInfra.JDBC_PROPERTY), Postgres.USER, Postgres.PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("SET synchronous_commit = off");
            String customer = "CAST(lpad(to_hex(%s), 32, '0') AS uuid)";
            String at = "TIMESTAMPTZ '2025-01-01 00:00:00+00' + (hashtext(CAST(g AS text) || '%s') & 2147483647) %% 31536000 * interval '1 second'";
            String cust = customer.formatted("(hashtext(CAST(g AS text)) & 2147483647) % " + CUSTOMERS);
            loaded.put("customers", exec(s, """
                    INSERT INTO customer_dim (customer_id, registered_at, first_order_at, completeness, tier, lifecycle_stage, health_index, at_risk, churn_risk)
                    SELECT %s, %s, NULL, NULL, (ARRAY['A','B','C','D'])[1 + g %% 4], (ARRAY['activation','retention','conversion','repurchase'])[1 + g %% 4],
                        g %% 101, g %% 101 < 40, g %% 13 = 0
                    FROM generate_series(0, %d) g""".formatted(customer.formatted("g"), at.formatted("r"), CUSTOMERS - 1)));
            exec(s, "INSERT INTO customer_dimension SELECT customer_id, 'tier', tier FROM customer_dim WHERE tier IS NOT NULL ON CONFLICT DO NOTHING");
            exec(s, """
                    INSERT INTO customer_dimension SELECT %s, 'segment', 'bench-segment-' || (g %% 10) FROM generate_series(0, %d) g"""
                    .formatted(customer.formatted("g"), CUSTOMERS - 1));
            exec(s, """
                    INSERT INTO customer_dimension SELECT %s, 'community', 'bench-community-' || (g %% 5) FROM generate_series(0, %d, 5) g"""
                    .formatted(customer.formatted("g"), CUSTOMERS - 1));
            loaded.put("orders", exec(s, """
                    INSERT INTO order_fact (customer_id, order_id, placed_at, revenue, currency, channel)
                    SELECT %s, 'bench-' || g, %s, 10 + g %% 190, 'EUR', 'web' FROM generate_series(1, %d) g ON CONFLICT DO NOTHING"""
                    .formatted(cust, at.formatted("o"), Math.round(3_500_000 * f))));
            exec(s, """
                    UPDATE customer_dim d SET first_order_at = o.first FROM (SELECT customer_id, min(placed_at) AS first FROM order_fact GROUP BY 1) o
                    WHERE d.customer_id = o.customer_id""");
            loaded.put("refunds", exec(s, """
                    INSERT INTO refund_fact (customer_id, refund_id, order_id, refunded_at, amount, currency)
                    SELECT customer_id, 'r-' || order_id, order_id, placed_at + interval '3 days', revenue / 2, 'EUR' FROM order_fact
                    WHERE order_id LIKE 'bench-%' AND hashtext(order_id) % 40 = 0"""));
            loaded.put("interactions", exec(s, """
                    INSERT INTO interaction_fact (customer_id, interaction_id, interaction_type, occurred_at)
                    SELECT %s, 'bench-' || g, (ARRAY['login','page_view','product_view','cart_add'])[1 + g %% 4], %s FROM generate_series(1, %d) g
                    ON CONFLICT DO NOTHING""".formatted(cust, at.formatted("i"), Math.round(3_000_000 * f))));
            loaded.put("feedback", exec(s, """
                    INSERT INTO feedback_fact (customer_id, feedback_id, kind, score, category, submitted_at, resolved_at)
                    SELECT %s, 'bench-' || g, (ARRAY['nps','csat','complaint'])[1 + g %% 3],
                        CASE g %% 3 WHEN 0 THEN g %% 11 WHEN 1 THEN 1 + g %% 5 END, CASE WHEN g %% 3 = 2 THEN 'delivery' END, %s,
                        CASE WHEN g %% 3 = 2 AND g %% 4 <> 0 THEN %2$s + (g %% 72) * interval '1 hour' END
                    FROM generate_series(1, %d) g ON CONFLICT DO NOTHING""".formatted(cust, at.formatted("f"), Math.round(300_000 * f))));
            loaded.put("messages", exec(s, """
                    INSERT INTO message_fact (message_id, campaign_id, customer_id, channel, sent_at, delivered_at, opened_at, clicked_at, converted_at,
                        conversion_revenue, conversion_currency, unsubscribed_at, cost, cost_currency, budget_pool_id)
                    SELECT CAST(lpad(to_hex(g), 32, '0') AS uuid), CAST(lpad(to_hex(1000 + g %% 50), 32, '0') AS uuid), %s,
                        (ARRAY['email','sms','push'])[1 + g %% 3], %s,
                        CASE WHEN g %% 20 <> 0 THEN %2$s + interval '1 minute' END, CASE WHEN g %% 4 = 0 THEN %2$s + interval '1 hour' END,
                        CASE WHEN g %% 16 = 0 THEN %2$s + interval '2 hours' END, CASE WHEN g %% 64 = 0 THEN %2$s + interval '1 day' END,
                        CASE WHEN g %% 64 = 0 THEN 80 END, 'EUR', CASE WHEN g %% 500 = 0 THEN %2$s + interval '3 hours' END, 0.002, 'EUR',
                        CAST(lpad(to_hex(9000 + g %% 3), 32, '0') AS uuid)
                    FROM generate_series(1, %d) g""".formatted(cust, at.formatted("m"), Math.round(1_500_000 * f))));
            loaded.put("points", exec(s, """
                    INSERT INTO points_fact (kind, reference, customer_id, points, occurred_at)
                    SELECT CASE WHEN g %% 4 = 0 THEN 'redeemed' ELSE 'earned' END, 'bench-' || g, %s, 10 + g %% 90, %s FROM generate_series(1, %d) g"""
                    .formatted(cust, at.formatted("p"), Math.round(650_000 * f))));
            loaded.put("referrals", exec(s, """
                    INSERT INTO referral_fact (referral_id, stage, referrer_id, referee_id, completed_at)
                    SELECT CAST(lpad(to_hex(g), 32, '0') AS uuid), 'registered', %s, %s, %s FROM generate_series(1, %d) g"""
                    .formatted(cust, customer.formatted("(g * 7) % " + CUSTOMERS), at.formatted("x"), Math.round(50_000 * f))));
            loaded.put("profileChanges", exec(s, """
                    INSERT INTO completeness_change (customer_id, changed_at, delta, first)
                    SELECT %s, %s, 0.5, 1 FROM generate_series(0, %d) g""".formatted(customer.formatted("g"), at.formatted("c"), Math.round(CUSTOMERS * f) - 1)));
            // as autovacuum leaves a database in use (visibility map set, statistics current)
            s.execute("VACUUM ANALYZE");
        }
        long total = loaded.values().stream().mapToLong(Long::longValue).sum();
        Duration load = Duration.between(loadStart, Instant.now());

        // the customer classes follow the group memberships as they arrive (each scheduled rollup moves the customers whose groups
        // changed); here all million changed at once, so their first refresh is timed on its own, before the KPIs
        Instant classesStart = Instant.now();
        VertxContextSupport.subscribeAndAwait(() -> rollup.rollUpChanges());
        Duration classes = Duration.between(classesStart, Instant.now());

        String admin = TestTokens.bearer("admin");
        given().auth().oauth2(admin).post("/api/kpis/recompute").then().statusCode(202);
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200)).until(() -> !"running".equals(
                given().auth().oauth2(admin).get("/api/kpis/recompute").then().extract().path("status")));
        Map<String, Object> recompute = given().auth().oauth2(admin).get("/api/kpis/recompute").then().extract().jsonPath().getMap("");
        if (!"finished".equals(recompute.get("status"))) {
            throw new IllegalStateException("the recompute failed: " + recompute);
        }
        Duration compute = Duration.ofMillis(Math.round(((Number) recompute.get("seconds")).doubleValue() * 1000));

        String analyst = TestTokens.bearer("analyst");
        Map<String, Supplier<Integer>> queries = new LinkedHashMap<>();
        queries.put("summary (all KPIs, a month)", () -> given().auth().oauth2(analyst).queryParam("period", "2025-11-15").get("/api/kpis/summary")
                .statusCode());
        queries.put("net revenue by tier, 12 months", () -> given().auth().oauth2(analyst).queryParam("from", "2025-01-01").queryParam("to", "2025-12-01")
                .queryParam("dim", "tier").get("/api/kpis/net-revenue").statusCode());
        queries.put("orders per day, 90 days", () -> given().auth().oauth2(analyst).queryParam("grain", "day").queryParam("from", "2025-10-01")
                .queryParam("to", "2025-12-29").get("/api/kpis/orders").statusCode());
        queries.put("open rate by campaign, 12 weeks", () -> given().auth().oauth2(analyst).queryParam("grain", "week").queryParam("from", "2025-10-01")
                .queryParam("to", "2025-12-22").queryParam("dim", "campaign").get("/api/kpis/open-rate").statusCode());
        queries.put("retention cohorts, 12 months", () -> given().auth().oauth2(analyst).queryParam("from", "2025-01-01").queryParam("to", "2025-12-01")
                .get("/api/kpis/cohorts").statusCode());
        queries.put("tier distribution", () -> given().auth().oauth2(analyst).queryParam("dimension", "tier").get("/api/kpis/distribution").statusCode());
        queries.put("health over 30 days", () -> given().auth().oauth2(analyst).get("/api/kpis/health").statusCode());
        queries.put("scorecard", () -> given().auth().oauth2(analyst).queryParam("period", "2025-11-15").get("/api/scorecard").statusCode());
        Map<String, Object> latencies = new LinkedHashMap<>();
        for (var q : queries.entrySet()) {
            for (int i = 0; i < 20; i++) {
                q.getValue().get(); // warm-up
            }
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long t = System.nanoTime();
                if (q.getValue().get() != 200) {
                    throw new IllegalStateException(q.getKey() + " failed");
                }
                micros.add((System.nanoTime() - t) / 1000);
            }
            micros.sort(Long::compare);
            latencies.put(q.getKey(), Map.of("p50Ms", micros.get(99) / 1000.0, "p99Ms", micros.get(197) / 1000.0));
        }

        // the scheduled rollup after a thousand orders on the data's last day: it recomputes from that day, reading the facts of
        // the customers active since then only
        try (Connection c = DriverManager.getConnection(System.getProperty(CustopsTestInfra.JDBC_PROPERTY), Postgres.USER, Postgres.PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO order_fact (customer_id, order_id, placed_at, revenue, currency, channel)
                    SELECT CAST(lpad(to_hex((g * 7919) %% %d), 32, '0') AS uuid), 'bench-late-' || g, TIMESTAMPTZ '2025-12-31 10:00:00+00', 50, 'EUR', 'web'
                    FROM generate_series(1, 1000) g""".formatted(CUSTOMERS));
            s.execute("INSERT INTO kpi_dirty (day) VALUES (DATE '2025-12-31') ON CONFLICT DO NOTHING");
        }
        Instant incrementalStart = Instant.now();
        VertxContextSupport.subscribeAndAwait(() -> rollup.rollUpChanges());
        Duration incremental = Duration.between(incrementalStart, Instant.now());

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("date", Instant.now().toString());
        figures.put("cores", Runtime.getRuntime().availableProcessors());
        figures.put("customers", CUSTOMERS);
        figures.put("facts", total);
        figures.put("loaded", loaded);
        figures.put("loadSeconds", load.toMillis() / 1000.0);
        figures.put("classesRefreshSeconds", classes.toMillis() / 1000.0);
        figures.put("coldFullComputationSeconds", compute.toMillis() / 1000.0);
        figures.put("incrementalRollupSeconds", incremental.toMillis() / 1000.0);
        figures.put("incrementalRollupNote", "scheduled rollup after 1,000 orders on the data's last day (2025-12-31), up to today");
        figures.put("rollupRows", count("SELECT count(*) FROM kpi_rollup"));
        figures.put("dashboardQueries", latencies);
        figures.put("targets", "cold full computation ≤ 10 s; dashboard queries ≤ 200 ms p99");
        Path out = Path.of("target/bench/kpis.json");
        Files.createDirectories(out.getParent());
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(figures);
        Files.writeString(out, json);
        System.out.println("KPI benchmark: " + json);
    }

    private static long exec(Statement s, String sql) throws java.sql.SQLException {
        return s.executeLargeUpdate(sql);
    }

    private static long count(String sql) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection(System.getProperty(CustopsTestInfra.JDBC_PROPERTY), Postgres.USER, Postgres.PASSWORD);
                var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
