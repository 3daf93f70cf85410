package io.custops.segmentation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.local.testing.KafkaTestClient;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class ScoringFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void refundsNetTheValueAndAFullRefundTakesTheOrderOutOnceWhateverTheOrder() {
        UUID customer = UUID.randomUUID();
        // the refund of B-2 arrives before B-2 itself; the partial refund of B-1 is delivered twice
        Events.refund(customer, "B-2", "R-2", "30.00", 1);
        Events.orderDaysAgo(customer, "B-1", "100.00", 10);
        Events.refund(customer, "B-1", "R-1", "25.00", 2);
        Events.refund(customer, "B-1", "R-1", "25.00", 2);
        Events.orderDaysAgo(customer, "B-2", "30.00", 5);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + customer).then().statusCode(200)
                .body("rollup.refundCount", equalTo(2))
                .body("rollup.orderCount", equalTo(1))
                .body("rollup.monetaryTotal", equalTo(75.0f))
                .body("rollup.windowMonetary", equalTo(75.0f))
                .body("rollup.refundTotal", equalTo(55.0f))
                .body("lifecycleStage", equalTo("conversion")));
    }

    @Test
    void interactionsFeedbackAndComplaintsRollUp() {
        UUID customer = UUID.randomUUID();
        Events.interaction(customer, "login", 1);
        Events.interaction(customer, "product_view", 1);
        Events.interaction(customer, "product_view", 5);
        Events.interaction(customer, "search", 45);
        Events.feedback(customer, "F-1", "nps", 6, 20);
        Events.feedback(customer, "F-2", "nps", 9, 3);
        Events.feedback(customer, "F-3", "csat", 4, 3);
        Events.resolved(customer, "C-1", 1); // the resolution overtakes its complaint
        Events.feedback(customer, "C-1", "complaint", null, 2);
        Events.feedback(customer, "C-2", "complaint", null, 2);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + customer).then().statusCode(200)
                .body("rollup.interactions.'7d'", equalTo(3))
                .body("rollup.interactions.'30d'", equalTo(3))
                .body("rollup.interactions.'90d'", equalTo(4))
                .body("rollup.interactionsByType.product_view.'7d'", equalTo(2))
                .body("rollup.activeDays30d", equalTo(2))
                .body("rollup.latestNps", equalTo(9))
                .body("rollup.latestCsat", equalTo(4))
                .body("rollup.openComplaints", equalTo(1))
                .body("rollup.lastLoginAt", org.hamcrest.Matchers.notNullValue())
                .body("lifecycleStage", equalTo("retention")));
    }

    @jakarta.inject.Inject
    io.custops.segmentation.service.InteractionRetention retention;

    @Test
    void interactionFactsPastTheRetentionArePrunedWithoutMovingTheRollup() throws Throwable {
        UUID customer = UUID.randomUUID();
        Events.interaction(customer, "login", 500);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + customer).then().statusCode(200).body("rollup.lastLoginAt", org.hamcrest.Matchers.notNullValue()));
        String lastLogin = given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + customer).then()
                .extract().path("rollup.lastLoginAt");
        assertThat(io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> retention.prune())).isGreaterThanOrEqualTo(1L);
        Events.interaction(customer, "page_view", 1);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + customer).then().body("rollup.interactions.'7d'", equalTo(1))
                .body("rollup.lastLoginAt", equalTo(lastLogin))
                .body("rollup.interactionsByType.login", org.hamcrest.Matchers.nullValue()));
    }

    @Test
    void scoreChangesArePublishedAsSchemaValidEvents() {
        UUID customer = UUID.randomUUID();
        Events.orderDaysAgo(customer, "S-1", "50.00", 100);
        Events.orderDaysAgo(customer, "S-2", "50.00", 90);
        List<ConsumerRecord<String, String>> events = KafkaTestClient.read(Topics.SEGMENTATION,
                r -> customer.toString().equals(r.key()), 4, WAIT);
        List<String> types = events.stream().map(r -> KafkaTestClient.header(r, "ce_type")).toList();
        assertThat(types).contains(EventType.SCORES_UPDATED.type(), EventType.TIER_CHANGED.type(),
                EventType.CHURN_RISK_RAISED.type(), EventType.LIFECYCLE_STAGE_CHANGED.type());
        for (ConsumerRecord<String, String> event : events) {
            assertThat(EventSchemas.violations(KafkaTestClient.header(event, "ce_type"), event.value()))
                    .as(event.value()).isEmpty();
        }
        ConsumerRecord<String, String> churn = events.stream()
                .filter(r -> EventType.CHURN_RISK_RAISED.type().equals(KafkaTestClient.header(r, "ce_type"))).findFirst().orElseThrow();
        // raised once, when the risk turned on (the first order alone was already 100 days quiet) ...
        assertThat(churn.value()).contains("inactive");
        // ... while the reasons stay current: two orders 10 days apart, the last 90 days ago, is also a purchase gap
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + customer).then().body("churn.reasons", org.hamcrest.Matchers.contains("purchase-gap", "inactive")));
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + customer + "/lifecycle").then()
                .statusCode(200).body("to", hasItems("churn-winback"));
    }

    @Test
    void aBadConfigurationIsRefusedFieldByFieldAndOnlyAdminsMayChangeIt() {
        String admin = TestTokens.bearer("admin");
        String config = given().auth().oauth2(admin).get("/api/scores/config").then().statusCode(200).extract().asString();
        String bad = config.replace("\"windowDays\":365", "\"windowDays\":1").replace("\"binning\":\"quantile\"", "\"binning\":\"magic\"")
                .replace("\"A\":0.12", "\"A\":0.9");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(bad).put("/api/scores/config").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("windowDays", "binning", "tiers.shares"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"windowDays\":").put("/api/scores/config")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON).body(config).put("/api/scores/config")
                .then().statusCode(403);
        given().auth().oauth2(admin).get("/api/scores/config").then().body("windowDays", equalTo(365));
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON).body("{}").post("/api/scores/jobs")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/jobs/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).get("/api/scores/distribution").then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("marketer")).post("/api/scores/clusters/jobs").then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("marketer")).get("/api/scores/clusters/jobs/" + UUID.randomUUID()).then()
                .statusCode(403);
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).get("/api/scores/model").then().statusCode(403);
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).get("/api/scores/config").then().statusCode(403);
        UUID someone = UUID.randomUUID();
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + someone + "/lifecycle?limit=0").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItems("limit"));
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).get("/api/scores/" + someone + "/lifecycle").then()
                .statusCode(404);
        given().auth().oauth2(TestTokens.member(someone)).get("/api/scores/" + someone + "/lifecycle").then()
                .statusCode(200);
    }

    @Test
    void anOnDemandRecomputeFromFactsRunsAsAJobWithProgress() {
        UUID customer = UUID.randomUUID();
        Events.orderDaysAgo(customer, "J-1", "20.00", 3);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + customer).then().statusCode(200).body("rollup.orderCount", equalTo(1)));
        String admin = TestTokens.bearer("admin");
        String job = given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"fromFacts\":true}")
                .post("/api/scores/jobs").then().statusCode(202).body("state", equalTo("queued"))
                .extract().path("id");
        ScoringKnownAnswerTest.awaitJob(admin, job);
        int customers = given().auth().oauth2(admin).get("/api/scores/distribution").then().extract().path("customers");
        // rollups then scores: about two units per customer, counted in slices of three (%test batch size)
        given().auth().oauth2(admin).get("/api/scores/jobs/" + job).then()
                .body("total", org.hamcrest.Matchers.greaterThanOrEqualTo(2))
                .body("processed", org.hamcrest.Matchers.greaterThanOrEqualTo(customers))
                .body("finishedAt", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + customer).then()
                .body("modelVersion", equalTo(given().auth().oauth2(admin).get("/api/scores/model").then().extract().path("version")));
    }
}
