package io.custops.evaluation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.custops.evaluation.reports.ReportDtos.Report;
import io.custops.evaluation.reports.Reports;
import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.local.testing.KafkaTestClient;
import io.custops.local.testing.TestSql;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Reviews over rollup rows written by hand for 2020–2021 (apart from other tests' data): what moved, who drove it, what
 * the rules advise, the published event, the printable page, the scheduled reviews, and the API's validation and roles.
 */
@QuarkusTest
class ReportsTest {
    private static final UUID VIPS = UUID.randomUUID();
    private final String analyst = TestTokens.bearer("analyst");

    @Inject
    Reports reports;

    @Test
    void aMonthlyReviewFindsTheMoversTheirDriversAndWhatToDo() {
        // March 2021 against February: revenue 10000 → 8000 (gold 6000 → 3000, silver 4000 → 5000), retention 30% → 15% of 100
        // (gold and the VIP segment 20/50 → 5/50, silver 10/50 → 10/50), complaints 10 → 30, and NPS on too few answers to count
        rollup("net-revenue", "month", "all", "", "2021-02-01", 10000, 1);
        rollup("net-revenue", "month", "all", "", "2021-03-01", 8000, 1);
        rollup("net-revenue", "month", "tier", "gold", "2021-02-01", 6000, 1);
        rollup("net-revenue", "month", "tier", "gold", "2021-03-01", 3000, 1);
        rollup("net-revenue", "month", "tier", "silver", "2021-02-01", 4000, 1);
        rollup("net-revenue", "month", "tier", "silver", "2021-03-01", 5000, 1);
        rollup("retention-rate", "month", "all", "", "2021-02-01", 30, 100);
        rollup("retention-rate", "month", "all", "", "2021-03-01", 15, 100);
        for (String[] group : new String[][] { { "tier", "gold" }, { "segment", VIPS.toString() } }) {
            rollup("retention-rate", "month", group[0], group[1], "2021-02-01", 20, 50);
            rollup("retention-rate", "month", group[0], group[1], "2021-03-01", 5, 50);
        }
        rollup("retention-rate", "month", "tier", "silver", "2021-02-01", 10, 50);
        rollup("retention-rate", "month", "tier", "silver", "2021-03-01", 10, 50);
        rollup("complaints", "month", "all", "", "2021-02-01", 10, 1);
        rollup("complaints", "month", "all", "", "2021-03-01", 30, 1);
        rollup("nps", "month", "all", "", "2021-02-01", 5, 5);
        rollup("nps", "month", "all", "", "2021-03-01", 0, 4);
        TestSql.update("INSERT INTO segment_name (segment_id, name) VALUES (?, '<script>VIPs</script>')", VIPS);
        // an open critical alert in March
        UUID rule = UUID.randomUUID();
        TestSql.update("""
                INSERT INTO alert_rule (id, name, kpi, grain, dim, mode, direction, critical_level, periods, baseline_periods, created_by, created_at, updated_at)
                VALUES (?, ?, 'complaints', 'day', 'all', 'threshold', 'above', 1, 1, 28, 'test', now(), now())""", rule, "Complaints " + rule);
        TestSql.update("""
                INSERT INTO kpi_alert (id, rule_id, dim_value, period_start, severity, value, threshold, raised_at, last_seen_at)
                VALUES (?, ?, '', DATE '2021-03-05', 'critical', 4, 1, now(), now())""", UUID.randomUUID(), rule);

        String location = given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{\"kind\":\"monthly\",\"period\":\"2021-03-15\"}")
                .post("/api/reports").then().statusCode(202).body("status", equalTo("building")).body("period.start", equalTo("2021-03-01"))
                .body("comparison.end", equalTo("2021-02-28")).extract().header("Location");
        JsonPath report = published(location);

        assertThat(report.getString("body.headline"))
                .isEqualTo("March 2021: net revenue 8000.00 EUR (-20.0% against February 2021); biggest mover: complaints +200.0%.");
        assertThat(report.getList("body.movers.kpi")).containsExactly("complaints", "retention-rate", "net-revenue");
        assertThat(report.getBoolean("body.movers[0].favourable")).isFalse();
        // retention: R = 0.3; gold (5 − 15)/100 − (20 − 15)/100 = −15 points, all of the −15; the VIP segment (same figures) as much
        assertThat(report.getList("body.movers[1].drivers.label")).containsExactly("<script>VIPs</script>", "gold");
        assertThat(report.getDouble("body.movers[1].drivers[1].contribution")).isCloseTo(-15, within(1e-9));
        assertThat(report.getDouble("body.movers[1].drivers[1].share")).isCloseTo(1, within(1e-9));
        // revenue: gold −3000 of the −2000 (silver went the other way)
        assertThat(report.getList("body.movers[2].drivers.dimValue")).containsExactly("gold");
        assertThat(report.getDouble("body.movers[2].drivers[0].share")).isCloseTo(1.5, within(1e-9));
        assertThat(report.getList("body.recommendations.rule"))
                .containsExactly("critical-alert-open", "revenue-down", "retention-down", "complaints-up");
        assertThat(report.getString("body.recommendations[2].focus")).isEqualTo("segment <script>VIPs</script>");
        assertThat(report.getString("body.alerts[0].severity")).isEqualTo("critical");
        assertThat(report.getDouble("body.summary.find { it.kpi == 'nps' }.comparison")).isCloseTo(100, within(1e-9));
        assertThat(report.getString("body.extras")).isNull();

        String id = report.getString("id");
        assertThat(location).as("relative, as the gateway's callers see it").isEqualTo("/api/reports/" + id);
        List<ConsumerRecord<String, String>> events = KafkaTestClient.read(Topics.EVALUATION, r -> id.equals(r.key())
                && EventType.REPORT_PUBLISHED.type().equals(KafkaTestClient.header(r, "ce_type")), 2, Duration.ofSeconds(10));
        assertThat(events).hasSize(1);
        assertThat(EventSchemas.violations(EventType.REPORT_PUBLISHED.type(), events.get(0).value())).isEmpty();
        JsonPath event = new JsonPath(events.get(0).value());
        assertThat(event.getList("movers.kpi")).containsExactly("complaints", "retention-rate", "net-revenue");
        assertThat(event.getInt("recommendations")).isEqualTo(4);
        assertThat(event.getBoolean("scheduled")).isFalse();

        // the printable page escapes what users named
        String html = given().auth().oauth2(analyst).accept(ContentType.HTML).get(location).then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/html")).extract().asString();
        assertThat(html).contains("<title>Monthly review — March 2021</title>", "complaints +200.0%", "8,000.00 EUR", "segment &lt;script&gt;VIPs&lt;/script&gt;")
                .doesNotContain("<script>");
    }

    @Test
    void aQuarterlyReviewAddsTheYearBeforeTheScorecardAndTheTierMigration() {
        rollup("orders", "quarter", "all", "", "2020-01-01", 80, 1);
        rollup("orders", "quarter", "all", "", "2020-10-01", 100, 1);
        rollup("orders", "quarter", "all", "", "2021-01-01", 120, 1);
        JsonPath report = published(given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{\"kind\":\"quarterly\",\"period\":\"2021-02-10\"}")
                .post("/api/reports").then().statusCode(202).extract().header("Location"));
        assertThat(report.getString("grain")).isEqualTo("quarter");
        assertThat(report.getString("yearAgo.start")).isEqualTo("2020-01-01");
        assertThat(report.getDouble("body.summary.find { it.kpi == 'orders' }.value")).isCloseTo(120, within(1e-9));
        assertThat(report.getDouble("body.summary.find { it.kpi == 'orders' }.comparison")).isCloseTo(100, within(1e-9));
        assertThat(report.getDouble("body.summary.find { it.kpi == 'orders' }.yearAgo")).isCloseTo(80, within(1e-9));
        assertThat(report.getString("body.extras.scorecard.grain")).isEqualTo("quarter");
        assertThat(report.getString("body.extras.tierMigration.dimension")).isEqualTo("tier");
        assertThat(report.getString("body.headline")).startsWith("Q1 2021: ");
    }

    @Test
    void aBaselineReviewComparesTheProgrammesMonthsWithTheThreeBeforeItsStart() {
        // a programme from 10 May 2020: May–July (60, none, 60: 40 a month) against February–April (30 a month)
        for (String month : List.of("2020-02-01", "2020-03-01", "2020-04-01")) {
            rollup("buyers", "month", "all", "", month, 30, 1);
        }
        rollup("buyers", "month", "all", "", "2020-05-01", 60, 1);
        rollup("buyers", "month", "all", "", "2020-07-01", 60, 1);
        JsonPath report = published(given().auth().oauth2(analyst).contentType(ContentType.JSON)
                .body("{\"kind\":\"baseline\",\"programmeStart\":\"2020-05-10\",\"period\":\"2020-07-31\"}")
                .post("/api/reports").then().statusCode(202).body("programmeStart", equalTo("2020-05-10")).extract().header("Location"));
        assertThat(report.getString("period.start") + " " + report.getString("period.end") + " " + report.getInt("period.periods"))
                .isEqualTo("2020-05-01 2020-07-31 3");
        assertThat(report.getString("comparison.start") + " " + report.getString("comparison.end")).isEqualTo("2020-02-01 2020-04-30");
        assertThat(report.getDouble("body.summary.find { it.kpi == 'buyers' }.value")).isCloseTo(40, within(1e-9));
        assertThat(report.getDouble("body.summary.find { it.kpi == 'buyers' }.change")).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(report.getList("body.movers.kpi")).contains("buyers");
        assertThat(report.getString("body.headline")).startsWith("May 2020 to July 2020: ");
    }

    @Test
    void scheduledReviewsAreMadeOnceAfterTheirPeriodWhenTheRollupHasCaughtUp() throws Throwable {
        LocalDate today = LocalDate.of(2019, 4, 2);
        // a changed day in March 2019 not yet rolled up holds both reviews back
        TestSql.update("INSERT INTO kpi_dirty (day) VALUES (DATE '2019-03-20') ON CONFLICT DO NOTHING");
        assertThat(publishDue(today)).isEmpty();
        TestSql.update("DELETE FROM kpi_dirty WHERE day = DATE '2019-03-20'");
        List<Report> made = publishDue(today);
        assertThat(made).extracting(r -> r.kind() + " " + r.period().start() + " " + r.status() + " " + r.scheduled())
                .containsExactly("monthly 2019-03-01 published true", "quarterly 2019-01-01 published true");
        assertThat(made.get(0).requestedBy()).isEqualTo("schedule");
        assertThat(publishDue(today)).isEmpty();
        given().auth().oauth2(analyst).queryParam("kind", "quarterly").queryParam("limit", 200).get("/api/reports").then().statusCode(200)
                .body("reports.id", hasItems(made.get(1).id().toString()));
    }

    @Test
    void requestsAreValidatedPagedAndRoleChecked() {
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{}").post("/api/reports").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("kind"));
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{\"kind\":\"weekly\"}").post("/api/reports").then().statusCode(400);
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{\"kind\":\"monthly\",\"period\":\"2999-01-01\"}").post("/api/reports")
                .then().statusCode(400).body("errors[0].field", equalTo("period"));
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{\"kind\":\"monthly\",\"period\":\"March\"}").post("/api/reports")
                .then().statusCode(400);
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{\"kind\":\"baseline\"}").post("/api/reports").then().statusCode(400)
                .body("errors[0].field", equalTo("programmeStart"));
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{\"kind\":\"baseline\",\"programmeStart\":\"2021-05-01\",\"period\":\"2021-04-01\"}")
                .post("/api/reports").then().statusCode(400);
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON).body("{\"kind\":\"monthly\"}").post("/api/reports")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).get("/api/reports").then().statusCode(403);
        given().get("/api/reports").then().statusCode(401);
        given().auth().oauth2(analyst).get("/api/reports/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(analyst).queryParam("before", "yesterday").get("/api/reports").then().statusCode(400);
        given().auth().oauth2(analyst).queryParam("limit", 0).get("/api/reports").then().statusCode(400);

        for (int i = 0; i < 2; i++) {
            published(given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{\"kind\":\"monthly\",\"period\":\"2018-06-01\"}")
                    .post("/api/reports").then().statusCode(202).extract().header("Location"));
        }
        JsonPath first = given().auth().oauth2(TestTokens.bearer("marketer")).queryParam("limit", 1).get("/api/reports").then().statusCode(200)
                .extract().jsonPath();
        assertThat(first.getString("reports[0].body")).isNull();
        // the list carries what a dashboard shows of each review: its headline and first three recommendations
        JsonPath full = given().auth().oauth2(analyst).get("/api/reports/" + first.getString("reports[0].id")).then().statusCode(200).extract().jsonPath();
        assertThat(first.getString("reports[0].digest.headline")).isEqualTo(full.getString("body.headline")).isNotBlank();
        assertThat(first.getList("reports[0].digest.recommendations")).isEqualTo(full.getList("body.recommendations.text").stream().limit(3).toList());
        String second = given().auth().oauth2(analyst).queryParam("limit", 1).queryParam("before", first.getString("nextBefore")).get("/api/reports")
                .then().statusCode(200).extract().path("reports[0].id");
        assertThat(second).isNotEqualTo(first.getString("reports[0].id"));
    }

    private JsonPath published(String location) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !"building".equals(given().auth().oauth2(analyst).get(location).then().statusCode(200)
                .extract().path("status")));
        return given().auth().oauth2(analyst).get(location).then().statusCode(200).body("status", equalTo("published")).extract().jsonPath()
                .using(TestEvents.DOUBLES);
    }

    private List<Report> publishDue(LocalDate today) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> reports.publishDue(today));
    }

    private static void rollup(String kpi, String grain, String dim, String value, String period, double numerator, double denominator) {
        TestSql.update("""
                INSERT INTO kpi_rollup (kpi, grain, dim, dim_value, period_start, numerator, denominator) VALUES (?, ?, ?, ?, CAST(? AS date), ?, ?)
                ON CONFLICT (kpi, grain, dim, dim_value, period_start) DO UPDATE SET numerator = excluded.numerator, denominator = excluded.denominator""",
                kpi, grain, dim, value, period, numerator, denominator);
    }
}
