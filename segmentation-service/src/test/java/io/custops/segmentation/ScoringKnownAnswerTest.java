package io.custops.segmentation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.custops.local.testing.CustopsTestInfra;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A hand-computed customer set: ten active customers whose recency, frequency and monetary values are all
 * distinct (so each quintile holds exactly two), one lapsed customer and one prospect. The expected quintile
 * edges, scores, tiers, levels, health values, churn reasons, stages, grades and strategy cells were worked out
 * by hand from the documented rules (percentile_cont interpolation; tier ranks ⌈10 × 0.12⌉ = 2, ⌈10 × 0.35⌉ = 4,
 * ⌈10 × 0.80⌉ = 8).
 */
@QuarkusTest
class ScoringKnownAnswerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** days since the last order, orders (20 days apart), amount per order. */
    private static final int[][] ACTIVE = { { 5, 3, 40 }, { 50, 1, 300 }, { 15, 6, 25 }, { 80, 2, 10 }, { 25, 8, 70 },
            { 60, 4, 15 }, { 35, 10, 50 }, { 90, 5, 8 }, { 45, 7, 100 }, { 70, 9, 45 } };

    /** R, F, M, value score, tier, level, health, activity grade, potential grade, strategy, stage, churn reasons. */
    private static final Object[][] EXPECTED = {
            { 5, 2, 2, 3.00f, "C", "active", 88, 3, 4, "nurture", "repurchase", List.of() },
            { 3, 1, 3, 2.33f, "C", "new", 33, 1, 2, "cost-control", "churn-winback", List.of("inactive") },
            { 5, 3, 3, 3.67f, "C", "active", 68, 1, 3, "nurture", "churn-winback", List.of("interaction-drop") },
            { 1, 1, 1, 1.00f, "D", "active", 13, 1, 1, "cost-control", "churn-winback", List.of("purchase-gap", "inactive") },
            { 4, 4, 5, 4.33f, "A", "champion", 57, 1, 2, "retain", "repurchase", List.of() },
            { 2, 2, 2, 2.00f, "C", "active", 25, 1, 2, "cost-control", "churn-winback", List.of("purchase-gap", "inactive") },
            { 4, 5, 4, 4.33f, "A", "champion", 44, 1, 2, "retain", "churn-winback", List.of("purchase-gap", "inactive") },
            { 1, 3, 1, 1.67f, "D", "active", 8, 1, 1, "cost-control", "churn-winback", List.of("purchase-gap", "inactive") },
            { 3, 4, 5, 4.00f, "B", "loyal", 35, 1, 2, "retain", "churn-winback", List.of("purchase-gap", "inactive") },
            { 2, 5, 4, 3.67f, "B", "active", 19, 1, 1, "retain", "churn-winback", List.of("purchase-gap", "inactive") } };

    /**
     * Predicted 12-month value: P(alive) = exp(−max(0, days − 20) ÷ 20) (every repeat buyer's cycle is 20 days, so
     * is the median), order value = (own net + 2 × 2855 ÷ 55) ÷ (orders + 2), × 365 ÷ 20.
     */
    private static final double[] LTV = { 816.94, 548.06, 579.02, 28.13, 943.49, 67.42, 433.81, 11.32, 466.98, 69.31 };

    @Test
    void quintilesTiersLevelsHealthChurnStagesAndStrategyMatchTheHandComputedAnswers() throws Exception {
        String admin = TestTokens.bearer("admin");
        String original = given().auth().oauth2(admin).get("/api/scores/config").then().statusCode(200).extract().asString();
        clearScoringData();
        try {
            List<UUID> active = new ArrayList<>();
            for (int i = 0; i < ACTIVE.length; i++) {
                UUID customer = UUID.randomUUID();
                active.add(customer);
                for (int k = 0; k < ACTIVE[i][1]; k++) {
                    Events.orderDaysAgo(customer, "KA-" + i + "-" + k, ACTIVE[i][2] + ".00", ACTIVE[i][0] + 20 * k);
                }
            }
            for (String[] touch : new String[][] { { "login", "1" }, { "login", "2" }, { "product_view", "2" },
                    { "product_view", "3" }, { "search", "10" }, { "cart_add", "10" } }) {
                Events.interaction(active.get(0), touch[0], Integer.parseInt(touch[1]));
            }
            for (int day = 40; day < 50; day++) {
                Events.interaction(active.get(2), "page_view", day);
            }
            UUID lapsed = UUID.randomUUID();
            Events.orderDaysAgo(lapsed, "KA-L", "80.00", 400);
            UUID prospect = UUID.randomUUID();
            Events.registered(prospect);

            for (int i = 0; i < ACTIVE.length; i++) {
                awaitOrders(active.get(i), ACTIVE[i][1]);
            }
            awaitOrders(lapsed, 1);
            awaitOrders(prospect, 0);
            await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(admin).get("/api/scores/" + active.get(2))
                    .then().body("rollup.interactions.'90d'", equalTo(10)));

            // quintiles need at least minActiveForQuantiles active customers: ten here
            String config = original.replace("\"minActiveForQuantiles\":20", "\"minActiveForQuantiles\":5");
            assertThat(config).isNotEqualTo(original);
            String job = given().auth().oauth2(admin).contentType(ContentType.JSON).body(config).put("/api/scores/config")
                    .then().statusCode(200).body("config.minActiveForQuantiles", equalTo(5)).extract().path("job.id");
            awaitJob(admin, job);

            JsonPath model = given().auth().oauth2(admin).get("/api/scores/model").then().statusCode(200).extract().jsonPath();
            assertThat(model.getLong("activeCustomers")).isEqualTo(10);
            assertEdges(model.getList("recencyEdges"), 23, 41, 54, 72);
            assertEdges(model.getList("frequencyEdges"), 2.8, 4.6, 6.4, 8.2);
            assertEdges(model.getList("monetaryEdges"), 56, 138, 342, 512);
            assertEdges(model.getList("tierMinScores"), 4.33, 3.67, 2.00);
            assertEdges(model.getList("tierMinMonetary"), 500, 405, 60);
            assertThat(model.getDouble("medianCycleDays")).isEqualTo(20.0);
            assertThat(model.getDouble("meanOrderValue")).isCloseTo(51.9091, org.assertj.core.data.Offset.offset(0.0001));

            for (int i = 0; i < ACTIVE.length; i++) {
                Object[] e = EXPECTED[i];
                JsonPath s = given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + active.get(i)).then()
                        .statusCode(200).extract().jsonPath();
                String who = "customer " + i;
                assertThat(s.getInt("rfm.recencyScore")).as(who + " R").isEqualTo(e[0]);
                assertThat(s.getInt("rfm.frequencyScore")).as(who + " F").isEqualTo(e[1]);
                assertThat(s.getInt("rfm.monetaryScore")).as(who + " M").isEqualTo(e[2]);
                assertThat(s.getFloat("rfm.valueScore")).as(who + " value score").isEqualTo(e[3]);
                assertThat(s.getString("tier")).as(who + " tier").isEqualTo(e[4]);
                assertThat(s.getString("valueLevel")).as(who + " level").isEqualTo(e[5]);
                assertThat(s.getInt("health.index")).as(who + " health").isEqualTo(e[6]);
                assertThat(s.getBoolean("health.atRisk")).as(who + " at risk").isEqualTo((int) e[6] < 40);
                assertThat(s.getInt("grades.activity")).as(who + " activity grade").isEqualTo(e[7]);
                assertThat(s.getInt("grades.potential")).as(who + " potential grade").isEqualTo(e[8]);
                assertThat(s.getString("grades.strategy")).as(who + " strategy").isEqualTo(e[9]);
                assertThat(s.getString("lifecycleStage")).as(who + " stage").isEqualTo(e[10]);
                assertThat(s.getList("churn.reasons")).as(who + " churn reasons").isEqualTo(e[11]);
                assertThat(s.getDouble("ltv.predicted12Months")).as(who + " LTV").isCloseTo(LTV[i],
                        org.assertj.core.data.Offset.offset(0.02));
                assertThat(s.getDouble("ltv.historic")).as(who + " historic value").isEqualTo(ACTIVE[i][1] * ACTIVE[i][2] * 1.0);
                assertThat(s.getList("explanation.score")).as(who + " explained").contains("recency", "frequency", "monetary",
                        "valueScore", "tier", "valueLevel", "health", "churnRisk", "grades", "strategy", "ltv", "lifecycleStage");
            }
            given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + active.get(4)).then()
                    .body("explanation.find { it.score == 'recency' }.rule", org.hamcrest.Matchers.containsString("[23, 41, 54, 72]"))
                    .body("explanation.find { it.score == 'recency' }.inputs", equalTo("25 days since the last order"));

            given().auth().oauth2(admin).get("/api/scores/" + lapsed).then().statusCode(200)
                    .body("rfm.recencyScore", equalTo(1)).body("rfm.frequencyScore", equalTo(1))
                    .body("rfm.monetaryScore", equalTo(1)).body("tier", equalTo("D")).body("valueLevel", equalTo("new"))
                    .body("lifecycleStage", equalTo("churn-winback")).body("health.index", equalTo(0));
            given().auth().oauth2(admin).get("/api/scores/" + prospect).then().statusCode(200)
                    .body("tier", equalTo(null)).body("rfm.recencyScore", equalTo(null)).body("valueLevel", equalTo("prospect"))
                    .body("lifecycleStage", equalTo("acquisition")).body("health.atRisk", equalTo(true))
                    .body("churn.risk", equalTo(false)).body("grades.strategy", equalTo("cost-control"));

            // clusters: the two champions share one, the lowest-value customers another
            String clustering = given().auth().oauth2(admin).post("/api/scores/clusters/jobs").then().statusCode(202)
                    .extract().path("id");
            await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(admin).get("/api/scores/clusters/jobs/" + clustering)
                    .then().statusCode(200).body("state", equalTo("completed")));
            JsonPath clusters = given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/clusters").then()
                    .statusCode(200).extract().jsonPath();
            assertThat(clusters.getInt("k")).isBetween(2, 8);
            assertThat(clusters.getMap("silhouetteByK")).isNotEmpty();
            assertThat(clusters.getList("clusters.customers", Integer.class).stream().mapToInt(Integer::intValue).sum())
                    .isEqualTo(11);
            assertThat(clusters.getList("clusters.description", String.class)).allMatch(d -> d.startsWith("recency "));
            Integer champion = cluster(active.get(4));
            assertThat(cluster(active.get(6))).isEqualTo(champion);
            assertThat(cluster(active.get(3))).isEqualTo(cluster(lapsed)).isNotEqualTo(champion);
            given().auth().oauth2(admin).get("/api/scores/" + prospect).then().body("cluster", equalTo(null));

            JsonPath distribution = given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/distribution")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(distribution.getMap("tiers")).isEqualTo(Map.of("A", 2, "B", 2, "C", 4, "D", 3, "none", 1));
            assertThat(distribution.getInt("customers")).isEqualTo(12);
            assertThat(distribution.getMap("valueLevels")).isEqualTo(Map.of("prospect", 1, "new", 2, "active", 6,
                    "loyal", 1, "champion", 2));
            assertThat(distribution.getInt("churnRisk")).isEqualTo(9);
        } finally {
            String restore = given().auth().oauth2(admin).contentType(ContentType.JSON).body(original).put("/api/scores/config")
                    .then().statusCode(200).extract().path("job.id");
            awaitJob(admin, restore);
        }
    }

    private static Integer cluster(UUID customer) {
        return given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + customer).then().statusCode(200)
                .extract().path("cluster.index");
    }

    private static void assertEdges(List<Object> actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(((Number) actual.get(i)).doubleValue()).as("edge " + i + " of " + actual).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    private static void awaitOrders(UUID customer, int orders) {
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + customer).then().statusCode(200).body("rollup.orderCount", equalTo(orders)));
    }

    static void awaitJob(String admin, String job) {
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(admin).get("/api/scores/jobs/" + job).then()
                .statusCode(200).body("state", equalTo("completed")));
    }

    /** The known answers hold for exactly this customer set, so the scoring data of earlier tests goes first. */
    private static void clearScoringData() throws Exception {
        try (Connection db = DriverManager.getConnection(System.getProperty(CustopsTestInfra.JDBC_PROPERTY), "custops", "custops");
                Statement sql = db.createStatement()) {
            sql.execute("TRUNCATE order_fact, refund_fact, interaction_fact, feedback_fact, complaint_resolution, customer_tag,"
                    + " customer_score, lifecycle_history, merged_customer, erased_customer");
        }
    }
}
