package io.custops.evaluation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.custops.evaluation.alerts.Alerts;
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
 * A segment's complaints above their normal for three days: raised once per breach with its event, escalated once,
 * acknowledged, resolved, and raised again only for a later breach; other segments are judged on their own.
 */
@QuarkusTest
class AlertsTest {
    private static final LocalDate TODAY = LocalDate.of(2025, 6, 20);
    private final String analyst = TestTokens.bearer("analyst");
    private final String noisy = UUID.randomUUID().toString(), calm = UUID.randomUUID().toString();

    @Inject
    Alerts alerts;

    @Test
    void aBreachIsRaisedOnceEscalatedOnceAndResolvedByPeople() throws Throwable {
        // seven normal days (10 complaints) before three high ones in the noisy segment; the calm one is high only yesterday
        for (int day = 10; day >= 1; day--) {
            complaints(noisy, TODAY.minusDays(day), day > 3 ? 10 : List.of(16, 18, 15).get(3 - day));
            complaints(calm, TODAY.minusDays(day), day > 1 ? 10 : 30);
        }
        String rule = given().auth().oauth2(analyst).contentType(ContentType.JSON).body("""
                {"name":"Complaints above normal %s","kpi":"complaints","grain":"day","dim":"segment","mode":"baseline","direction":"above",
                 "levels":{"warning":50,"critical":100},"periods":3,"baselinePeriods":7}""".formatted(noisy))
                .post("/api/alerts/rules").then().statusCode(201).body("version", equalTo(1)).extract().path("id");

        // +60%, +80%, +50% over a baseline of 10: warning (not critical) for the noisy segment only
        assertThat(evaluate(TODAY)).isEqualTo(1);
        JsonPath open = openAlert(rule);
        assertThat(open.getString("dimValue")).isEqualTo(noisy);
        assertThat(open.getString("severity")).isEqualTo("warning");
        assertThat(open.getDouble("value")).isEqualTo(15.0);
        assertThat(open.getDouble("baseline")).isEqualTo(10.0);
        assertThat(open.getString("periodStart")).isEqualTo(TODAY.minusDays(1).toString());
        String alert = open.getString("id");
        List<ConsumerRecord<String, String>> raised = events(alert, 1);
        assertThat(EventSchemas.violations(EventType.KPI_ALERT_RAISED.type(), raised.get(0).value())).isEmpty();
        JsonPath event = new JsonPath(raised.get(0).value());
        assertThat(event.getString("severity") + " " + event.getInt("periods") + " " + event.getString("baseline") + " " + event.getBoolean("escalated"))
                .isEqualTo("warning 3 10.0 false");

        // judged again: the same breach raises nothing
        assertThat(evaluate(TODAY)).isZero();
        // the three days get worse (25 each, +150%): the open alert escalates to critical, once
        for (int day = 3; day >= 1; day--) {
            complaints(noisy, TODAY.minusDays(day), 25);
        }
        assertThat(evaluate(TODAY)).isEqualTo(1);
        assertThat(evaluate(TODAY)).isZero();
        assertThat(openAlert(rule).getString("severity")).isEqualTo("critical");
        assertThat(new JsonPath(events(alert, 2).get(1).value()).getBoolean("escalated")).isTrue();

        given().auth().oauth2(TestTokens.bearer("community-manager")).contentType(ContentType.JSON).body("{\"note\":\"looking into delivery\"}")
                .post("/api/alerts/" + alert + "/acknowledge").then().statusCode(200).body("status", equalTo("acknowledged"));
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{}").post("/api/alerts/" + alert + "/acknowledge").then().statusCode(409);
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{\"note\":\"carrier fixed\"}").post("/api/alerts/" + alert + "/resolve")
                .then().statusCode(200).body("status", equalTo("resolved")).body("note", equalTo("carrier fixed"));
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{}").post("/api/alerts/" + alert + "/resolve").then().statusCode(409);
        // resolved, the same breach stays resolved; a breach that goes on into the next day is a new alert
        assertThat(evaluate(TODAY)).isZero();
        complaints(noisy, TODAY, 25);
        assertThat(evaluate(TODAY.plusDays(1))).isEqualTo(1);
        assertThat(openAlert(rule).getString("periodStart")).isEqualTo(TODAY.toString());
        given().auth().oauth2(analyst).queryParam("status", "resolved").get("/api/alerts").then().statusCode(200)
                .body("id", hasItems(alert));
    }

    @Test
    void rulesAreValidatedVersionedAndRoleChecked() {
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body("""
                {"name":"","kpi":"happiness","grain":"year","dim":"mood","mode":"guess","direction":"sideways","periods":0,"baselinePeriods":1000}""")
                .post("/api/alerts/rules").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("name", "kpi", "grain", "dim", "mode", "direction", "levels", "periods", "baselinePeriods"));
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body("""
                {"name":"wrong order","kpi":"nps","direction":"below","levels":{"warning":-20,"critical":0}}""")
                .post("/api/alerts/rules").then().statusCode(400).body("errors[0].field", equalTo("levels"));
        String name = "NPS negative " + UUID.randomUUID();
        String body = """
                {"name":"%s","kpi":"nps","grain":"week","direction":"below","levels":{"warning":0,"critical":-20}}""".formatted(name);
        String id = given().auth().oauth2(analyst).contentType(ContentType.JSON).body(body).post("/api/alerts/rules").then().statusCode(201)
                .body("baselinePeriods", equalTo(8)).body("dim", equalTo("all")).extract().path("id");
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body(body).post("/api/alerts/rules").then().statusCode(409);
        String update = """
                {"name":"%s","kpi":"nps","grain":"week","direction":"below","levels":{"critical":-30},"version":%d}""";
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body(update.formatted(name, 1)).put("/api/alerts/rules/" + id).then().statusCode(200)
                .body("version", equalTo(2)).body("levels.critical", equalTo(-30.0f));
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body(update.formatted(name, 1)).put("/api/alerts/rules/" + id).then().statusCode(409);
        given().auth().oauth2(TestTokens.bearer("community-manager")).contentType(ContentType.JSON).body(body).post("/api/alerts/rules").then().statusCode(403);
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).get("/api/alerts").then().statusCode(403);
        given().get("/api/alerts").then().statusCode(401);
        given().auth().oauth2(analyst).queryParam("status", "forgotten").get("/api/alerts").then().statusCode(400);
        given().auth().oauth2(analyst).delete("/api/alerts/rules/" + id).then().statusCode(204);
        given().auth().oauth2(analyst).get("/api/alerts/rules/" + id).then().statusCode(404);
    }

    private int evaluate(LocalDate asOf) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> alerts.evaluateAll(asOf));
    }

    private JsonPath openAlert(String rule) {
        JsonPath list = given().auth().oauth2(analyst).queryParam("status", "unresolved").get("/api/alerts").then().statusCode(200).extract().jsonPath()
                .using(TestEvents.DOUBLES);
        return new JsonPath(list.prettify()).using(TestEvents.DOUBLES).setRootPath("find { it.ruleId == '" + rule + "' }");
    }

    private static List<ConsumerRecord<String, String>> events(String alert, int count) {
        List<ConsumerRecord<String, String>> events = KafkaTestClient.read(Topics.EVALUATION, r -> alert.equals(r.key())
                && EventType.KPI_ALERT_RAISED.type().equals(KafkaTestClient.header(r, "ce_type")), count + 1, Duration.ofSeconds(10));
        assertThat(events).hasSize(count);
        return events;
    }

    private static void complaints(String segment, LocalDate day, int complaints) {
        TestSql.update("""
                INSERT INTO kpi_rollup (kpi, grain, dim, dim_value, period_start, numerator, denominator) VALUES ('complaints', 'day', 'segment', ?, ?, ?, 1)
                ON CONFLICT (kpi, grain, dim, dim_value, period_start) DO UPDATE SET numerator = excluded.numerator""", segment, day, complaints);
    }
}
