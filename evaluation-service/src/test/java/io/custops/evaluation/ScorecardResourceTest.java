package io.custops.evaluation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.custops.local.testing.TestSql;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The scorecard over real rollup rows (May 2022, apart from other tests' data), and its configuration's versioning. */
@QuarkusTest
class ScorecardResourceTest {
    private final String analyst = TestTokens.bearer("analyst");

    @Test
    void theScorecardOfAPeriodAndItsEditableConfiguration() {
        // April and May 2022 for all customers: revenue 800 then 1000 (no target: April is the target → 125%, counts 100%),
        // NPS (promoters - detractors) / answers: 10 / 50 × 100 = 20 against a target of 30 → 2/3
        rollup("net-revenue", "2022-04-01", 800, 1);
        rollup("net-revenue", "2022-05-01", 1000, 1);
        rollup("nps", "2022-05-01", 10, 50);
        String card = """
                {"version":%d,"layers":[{"name":"financial","weight":0.5,"indicators":[{"kpi":"net-revenue","weight":1,"better":"higher"}]},
                 {"name":"customer","weight":0.5,"indicators":[{"kpi":"nps","weight":1,"target":30,"better":"higher"}]}]}""";
        int version = given().auth().oauth2(analyst).get("/api/scorecard/config").then().statusCode(200).extract().path("version");
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON).body(card.formatted(version)).put("/api/scorecard/config")
                .then().statusCode(403);
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body(card.formatted(version)).put("/api/scorecard/config").then().statusCode(200)
                .body("version", equalTo(version + 1));
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body(card.formatted(version)).put("/api/scorecard/config").then().statusCode(409);
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body("""
                {"version":%d,"layers":[{"name":"financial","weight":0.7,"indicators":[{"kpi":"net-revenue","weight":1,"better":"up"}]}]}"""
                .formatted(version + 1)).put("/api/scorecard/config").then().statusCode(400).contentType("application/problem+json");

        JsonPath score = given().auth().oauth2(analyst).queryParam("grain", "month").queryParam("period", "2022-05-15").get("/api/scorecard").then()
                .statusCode(200).extract().jsonPath().using(TestEvents.DOUBLES);
        // (0.5 × 100 + 0.5 × 66.67) = 83.33
        assertThat(score.getDouble("score")).isCloseTo(50 + 50 * 20 / 30.0, within(1e-9));
        assertThat(score.getDouble("layers[0].indicators[0].attainment")).isCloseTo(1.25, within(1e-9));
        assertThat(score.getString("layers[0].indicators[0].targetSource")).isEqualTo("previous period");
        assertThat(score.getDouble("layers[1].indicators[0].value")).isCloseTo(20, within(1e-9));
        given().auth().oauth2(TestTokens.member(java.util.UUID.randomUUID())).get("/api/scorecard").then().statusCode(403);
    }

    private static void rollup(String kpi, String period, double numerator, double denominator) {
        TestSql.update("""
                INSERT INTO kpi_rollup (kpi, grain, dim, dim_value, period_start, numerator, denominator) VALUES (?, 'month', 'all', '', CAST(? AS date), ?, ?)
                ON CONFLICT (kpi, grain, dim, dim_value, period_start) DO UPDATE SET numerator = excluded.numerator, denominator = excluded.denominator""",
                kpi, period, numerator, denominator);
    }
}
