package io.custops.evaluation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.local.testing.KafkaTestClient;
import io.custops.local.testing.TestSql;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Experiment results from real VariantAssigned and OrderPlaced events, and the verdict published for campaign-service. */
@QuarkusTest
class ExperimentAnalysisTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final String analyst = TestTokens.bearer("analyst");

    @Test
    void aCampaignTestWhoseVariantConvertsBetterIsConcludedOnceWithItsWinner() {
        UUID experiment = UUID.randomUUID();
        Instant assigned = Instant.now().minus(Duration.ofDays(2));
        List<KafkaTestClient.Outgoing> assignments = new ArrayList<>();
        List<KafkaTestClient.Outgoing> orders = new ArrayList<>();
        for (String variant : List.of("control", "B")) {
            int converting = "control".equals(variant) ? 100 : 200;
            for (int i = 0; i < 1000; i++) {
                UUID customer = UUID.randomUUID();
                assignments.add(event(customer, EventType.VARIANT_ASSIGNED, """
                        {"customerId":"%s","experimentId":"%s","experimentKind":"campaign","step":null,"variant":"%s","assignedAt":"%s",
                         "plannedShare":0.5}""".formatted(customer, experiment, variant, assigned)));
                if (i < converting) {
                    orders.add(order(customer, assigned.plus(Duration.ofDays(1)), "40.00"));
                }
                if (i % 10 == 0) { // revenue in the period before: CUPED's covariate
                    orders.add(order(customer, assigned.minus(Duration.ofDays(5)), "25.00"));
                }
            }
        }
        KafkaTestClient.sendAll(Topics.CAMPAIGN, assignments);
        KafkaTestClient.sendAll(Topics.ACTIVITY, orders);
        await().atMost(WAIT).until(() -> "2000".equals(TestSql.value("SELECT count(*) FROM experiment_assignment WHERE experiment_id = ?", experiment))
                && "500".equals(TestSql.value("SELECT count(*) FROM order_fact f JOIN experiment_assignment a ON a.customer_id = f.customer_id"
                        + " WHERE a.experiment_id = ?", experiment)));

        JsonPath result = given().auth().oauth2(analyst).get("/api/experiments/" + experiment).then().statusCode(200).extract().jsonPath();
        assertThat(result.getString("baseline")).isEqualTo("control");
        assertThat(result.getList("arms.assigned", Integer.class)).containsExactly(1000, 1000);
        assertThat(result.getBoolean("sampleRatio.mismatch")).isFalse();
        assertThat(result.getString("sampleRatio.plan")).isEqualTo("planned shares");
        JsonPath conversion = new JsonPath(result.prettify()).setRootPath("results.find { it.metric == 'conversion' }");
        // scipy.stats.chi2_contingency([[100, 900], [200, 800]], correction=False) p = 3.794791883144951e-10
        assertThat(conversion.getDouble("pValue")).isCloseTo(3.794791883144951e-10, within(1e-14));
        assertThat(conversion.getDouble("difference")).isCloseTo(0.1, within(1e-12));
        assertThat(conversion.getDouble("probabilityToBeat")).isGreaterThan(0.999);
        assertThat(conversion.getDouble("alwaysValidP")).isLessThan(0.05);
        assertThat(conversion.getDouble("adjustedP")).isLessThan(0.05).isGreaterThanOrEqualTo(conversion.getDouble("alwaysValidP"));
        JsonPath revenue = new JsonPath(result.prettify()).setRootPath("results.find { it.metric == 'revenue' }");
        assertThat(revenue.getBoolean("cuped")).isTrue();
        assertThat(revenue.getDouble("difference")).isCloseTo(4.0, within(1e-9)); // 40 × (0.2 − 0.1) per customer, same covariate per arm

        // the scheduled look concludes it once, for campaign-service's promotion
        await().atMost(WAIT).until(() -> TestSql.value("SELECT winner FROM experiment WHERE id = ?", experiment) != null);
        assertThat(TestSql.value("SELECT winner || ' ' || metric FROM experiment WHERE id = ?", experiment)).isEqualTo("B conversion");
        List<ConsumerRecord<String, String>> verdicts = KafkaTestClient.read(Topics.EVALUATION, r -> experiment.toString().equals(r.key())
                && EventType.EXPERIMENT_CONCLUDED.type().equals(KafkaTestClient.header(r, "ce_type")), 2, Duration.ofSeconds(10));
        assertThat(verdicts).hasSize(1);
        assertThat(EventSchemas.violations(EventType.EXPERIMENT_CONCLUDED.type(), verdicts.get(0).value())).isEmpty();
        assertThat(verdicts.get(0).value()).contains("\"winner\":\"B\"").contains("\"significant\":true").contains("\"experimentKind\":\"campaign\"");
        given().auth().oauth2(analyst).get("/api/experiments/" + experiment).then().body("verdict.winner", equalTo("B"))
                .body("concludedAt", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(analyst).get("/api/experiments").then().statusCode(200)
                .body("find { it.id == '" + experiment + "' }.winner", equalTo("B"));
    }

    @Test
    void aSampleRatioMismatchHoldsTheVerdictBack() {
        UUID journey = UUID.randomUUID();
        Instant assigned = Instant.now().minus(Duration.ofDays(1));
        List<KafkaTestClient.Outgoing> assignments = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            UUID customer = UUID.randomUUID();
            String variant = i < 300 ? "one" : "two";
            assignments.add(event(customer, EventType.VARIANT_ASSIGNED, """
                    {"customerId":"%s","experimentId":"%s","experimentKind":"journey","step":"ab","variant":"%s","assignedAt":"%s",
                     "plannedShare":0.5}""".formatted(customer, journey, variant, assigned)));
        }
        KafkaTestClient.sendAll(Topics.CAMPAIGN, assignments);
        await().atMost(WAIT).until(() -> "500".equals(TestSql.value("SELECT count(*) FROM experiment_assignment WHERE experiment_id = ?", journey)));
        JsonPath result = given().auth().oauth2(analyst).queryParam("step", "ab").get("/api/experiments/" + journey).then().statusCode(200)
                .extract().jsonPath();
        // scipy.stats.chisquare([300, 200], [250, 250]): statistic 20.0, p = 7.744216431044088e-06
        assertThat(result.getDouble("sampleRatio.chiSquare")).isCloseTo(20.0, within(1e-9));
        assertThat(result.getDouble("sampleRatio.pValue")).isCloseTo(7.744216431044088e-06, within(1e-10));
        assertThat(result.getBoolean("sampleRatio.mismatch")).isTrue();
        assertThat(result.getBoolean("verdict.significant")).isFalse();
        assertThat(result.getString("verdict.reason")).contains("sample-ratio mismatch");
        assertThat(result.getString("baseline")).isEqualTo("one");
        given().auth().oauth2(analyst).get("/api/experiments/" + journey).then().statusCode(404); // the split is named by its step
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).get("/api/experiments/" + journey + "?step=ab").then().statusCode(403);
        given().get("/api/experiments").then().statusCode(401);
    }

    private static KafkaTestClient.Outgoing event(UUID customer, EventType type, String data) {
        return new KafkaTestClient.Outgoing(customer.toString(), data, KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), type.type(),
                customer));
    }

    private static KafkaTestClient.Outgoing order(UUID customer, Instant at, String total) {
        return event(customer, EventType.ORDER_PLACED, """
                {"customerId":"%s","orderId":"%s","placedAt":"%s","amount":{"value":"%s","currency":"EUR"},"source":"pos"}"""
                .formatted(customer, UUID.randomUUID(), at, total));
    }
}
