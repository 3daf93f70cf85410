package io.custops.campaign;

import static io.custops.campaign.Fixtures.customer;
import static io.custops.campaign.Fixtures.grant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Budget pools: the default split, sending that stops when a pool is spent, spend and ROI, coupon costs. */
@QuarkusTest
class BudgetTest {
    private final String admin = TestTokens.bearer("admin");
    private final String marketer = TestTokens.bearer("marketer");

    @Test
    void aPeriodSplitsIntoStrategicTacticalAndOperationalPools() {
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"name":"Q1-%s","startsOn":"2027-01-01","endsOn":"2027-03-31","total":10000,"currency":"EUR"}""".formatted(UUID.randomUUID()))
                .post("/api/campaigns/budgets").then().statusCode(201)
                .body("pools.kind", org.hamcrest.Matchers.contains("strategic", "tactical", "operational"))
                .body("pools.amount", org.hamcrest.Matchers.contains(1500.0f, 4500.0f, 4000.0f))
                .body("pools[0].remaining", equalTo(1500.0f));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"name":"bad","startsOn":"2027-03-01","endsOn":"2027-01-01","total":-1,"currency":"eur","shares":{"strategic":50,"tactical":60}}""")
                .post("/api/campaigns/budgets").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("endsOn", "total", "currency", "shares"));
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{}").post("/api/campaigns/budgets").then().statusCode(403);
    }

    @Test
    void aCampaignStopsSendingWhenItsPoolIsSpentAndReportsItsSpendAndRoi() throws Exception {
        String pool = given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"name":"tiny-%s","startsOn":"2026-01-01","endsOn":"2027-12-31","total":0.005,"currency":"EUR",
                 "shares":{"strategic":100,"tactical":0,"operational":0}}""".formatted(UUID.randomUUID()))
                .post("/api/campaigns/budgets").then().statusCode(201).extract().path("pools[0].id");
        UUID segment = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            UUID member = customer(SafeguardTest.zoneWhereItIsNow(12));
            grant(member, "email", "marketing");
            Fixtures.segment(segment, member, true);
        }
        Fixtures.awaitMembers(segment, 3);
        String template = Fixtures.template("email", "marketing", "Budget", "<p>two of three</p>");
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"c-%s","templateId":"%s","segmentId":"%s","budgetPoolId":"%s"}""".formatted(UUID.randomUUID(), UUID.randomUUID(),
                segment, UUID.randomUUID())).post("/api/campaigns").then().statusCode(400).body("errors[0].field", equalTo("budgetPoolId"));
        String campaign = given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"c-%s","templateId":"%s","segmentId":"%s","budgetPoolId":"%s","ratePerMinute":600}""".formatted(UUID.randomUUID(), template,
                segment, pool)).post("/api/campaigns").then().statusCode(201).extract().path("id");
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{}").post("/api/campaigns/" + campaign + "/schedule")
                .then().statusCode(200);
        await().atMost(Fixtures.WAIT).until(() -> "completed".equals(stats(campaign).getString("status")));
        JsonPath done = stats(campaign);
        assertThat(done.getLong("statistics.sent")).isEqualTo(2);
        assertThat(done.getLong("statistics.suppressed.budget-exhausted")).isEqualTo(1);
        assertThat(done.getFloat("statistics.spend")).isEqualTo(0.004f);
        assertThat(done.getFloat("statistics.roi")).isEqualTo(-1.0f);
        assertThat(Fixtures.sql("SELECT spent FROM budget_pool WHERE id = ?", UUID.fromString(pool))).isEqualTo("0.0040");
    }

    @Test
    void aCouponRedemptionChargesItsPoolsBudget() throws Exception {
        JsonPath period = given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"name":"coupons-%s","startsOn":"2026-01-01","endsOn":"2027-12-31","total":1000,"currency":"EUR"}""".formatted(UUID.randomUUID()))
                .post("/api/campaigns/budgets").then().statusCode(201).extract().jsonPath();
        String tactical = period.getString("pools.find { it.kind == 'tactical' }.id");
        String couponPool = given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"paid-%s","kind":"generated","discount":"5 EUR","cost":5,"currency":"EUR","budgetPoolId":"%s"}"""
                .formatted(UUID.randomUUID(), tactical)).post("/api/coupons/pools").then().statusCode(201).extract().path("id");
        UUID customer = UUID.randomUUID();
        String code = given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{\"customerId\":\"" + customer + "\"}")
                .post("/api/coupons/pools/" + couponPool + "/issue").then().statusCode(200).extract().path("code");
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{\"code\":\"" + code + "\",\"customerId\":\"" + customer + "\"}").post("/api/coupons/redeem").then().statusCode(200);
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/campaigns/budgets/" + period.getString("id")).then().statusCode(200)
                .body("pools.find { it.kind == 'tactical' }.spent", equalTo(5.0f))
                .body("pools.find { it.kind == 'tactical' }.remaining", equalTo(445.0f));
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/campaigns/budgets").then().statusCode(200)
                .body("id", hasItem(period.getString("id")));
    }

    private JsonPath stats(String campaign) {
        return given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/campaigns/" + campaign).then().statusCode(200)
                .extract().jsonPath();
    }
}
