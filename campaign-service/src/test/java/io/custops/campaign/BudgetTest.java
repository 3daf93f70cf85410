package io.custops.campaign;

import static io.custops.campaign.Fixtures.customer;
import static io.custops.campaign.Fixtures.grant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.custops.events.EventType;
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
        String pool = tinyPool();
        UUID segment = UUID.randomUUID();
        List<UUID> members = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID member = customer(SafeguardTest.zoneWhereItIsNow(12));
            grant(member, "email", "marketing");
            Fixtures.segment(segment, member, true);
            members.add(member);
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
        // each MessageSent says what it cost and which pool paid (evaluation's ROI per campaign and pool)
        UUID paid = members.stream().filter(m -> Fixtures.sqlOrNull("SELECT id FROM message WHERE customer_id = ? AND status = 'sent'", m) != null)
                .findFirst().orElseThrow();
        String sent = Fixtures.exactlyOne(EventType.MESSAGE_SENT, paid).value();
        JsonPath data = new JsonPath(sent);
        assertThat(data.getString("cost.value") + " " + data.getString("cost.currency") + " " + data.getString("budgetPoolId")).isEqualTo("0.0020 EUR " + pool);
        assertThat(io.custops.events.EventSchemas.violations(EventType.MESSAGE_SENT.type(), sent)).isEmpty();
    }

    @Test
    void aJourneysMessagesChargeItsPoolAndStopWhenItIsSpent() throws Exception {
        String pool = tinyPool();
        String template = Fixtures.template("email", "marketing", "Thanks", "<p>thanks for your order</p>");
        String sku = "budget-" + UUID.randomUUID();
        String definition = """
                {"trigger":{"event":"OrderPlaced","where":[{"field":"items","op":"contains","value":"%s"}]},"entry":{"mode":"always"},
                 "steps":[{"id":"thanks","type":"send","templateId":"%s"}]}""".formatted(sku, template);
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"j-%s","budgetPoolId":"%s","definition":%s}""".formatted(sku, UUID.randomUUID(), definition))
                .post("/api/journeys").then().statusCode(400).body("errors[0].field", equalTo("budgetPoolId"));
        String journey = given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"j-%s","budgetPoolId":"%s","definition":%s}""".formatted(sku, pool, definition))
                .post("/api/journeys").then().statusCode(201).body("budgetPoolId", equalTo(pool)).extract().path("id");
        given().auth().oauth2(marketer).post("/api/journeys/" + journey + "/activate").then().statusCode(200);
        try {
            List<UUID> customers = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                UUID customer = customer(SafeguardTest.zoneWhereItIsNow(12));
                grant(customer, "email", "marketing");
                customers.add(customer);
                Fixtures.order(customer, "B-" + UUID.randomUUID(), "10.00", java.time.Instant.now(), List.of(sku));
                UUID placed = customer;
                await().atMost(Fixtures.WAIT).until(() -> Fixtures.sqlOrNull("SELECT status FROM message WHERE journey_id = ? AND customer_id = ?"
                        + " AND status IN ('sent', 'suppressed')", UUID.fromString(journey), placed) != null);
            }
            assertThat(Fixtures.sql("SELECT string_agg(coalesce(reason, status), ',' ORDER BY created_at) FROM message WHERE journey_id = ?",
                    UUID.fromString(journey))).isEqualTo("sent,sent,budget-exhausted");
            assertThat(Fixtures.sql("SELECT spent FROM budget_pool WHERE id = ?", UUID.fromString(pool))).isEqualTo("0.0040");
            given().auth().oauth2(marketer).get("/api/journeys/" + journey).then().statusCode(200)
                    .body("statistics.spend", equalTo(0.004f));
        } finally {
            given().auth().oauth2(marketer).post("/api/journeys/" + journey + "/archive");
        }
    }

    /** A pool of 0.005 EUR: two e-mails at 0.002 each, not a third. */
    private String tinyPool() {
        return given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"name":"tiny-%s","startsOn":"2026-01-01","endsOn":"2027-12-31","total":0.005,"currency":"EUR",
                 "shares":{"strategic":100,"tactical":0,"operational":0}}""".formatted(UUID.randomUUID()))
                .post("/api/campaigns/budgets").then().statusCode(201).extract().path("pools[0].id");
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
