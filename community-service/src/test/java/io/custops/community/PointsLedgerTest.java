package io.custops.community;

import static io.custops.community.Fixtures.MANAGER;
import static io.custops.community.Fixtures.awaitPoints;
import static io.custops.community.Fixtures.balance;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.local.testing.TestSql;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The points ledger against the real broker and database: earning, vesting, clawbacks, caps, adjustments, expiry. */
@QuarkusTest
class PointsLedgerTest {
    private static final Instant LONG_AGO = Instant.now().minus(Duration.ofDays(40)); // past the 30-day refund window

    @BeforeEach
    void rules() {
        Fixtures.pointPerEuro();
    }

    @Test
    void anOrderEarnsPendingPointsOnceHoweverOftenItArrives() {
        UUID customer = UUID.randomUUID();
        Instant placed = Instant.now();
        String event = Fixtures.order(customer, "O-" + customer, "129.90", placed);
        awaitPoints(customer, "pending", 129);
        Fixtures.orderAgain(event, customer, "O-" + customer, "129.90", placed); // redelivered
        Fixtures.order(customer, "O-" + customer, "129.90", placed); // resent by the source under a new event id
        Fixtures.order(customer, "O2-" + customer, "10.00", placed);
        awaitPoints(customer, "pending", 139);
        JsonPath points = balance(customer);
        assertThat(points.getLong("available")).isZero();
        assertThat(TestSql.value("SELECT count(*) FROM points_entry WHERE customer_id = ?", customer)).isEqualTo("2");

        List<ConsumerRecord<String, String>> earned = Fixtures.events(EventType.POINTS_EARNED, customer, 2);
        Fixtures.exactly(EventType.POINTS_EARNED, customer, 2);
        assertThat(EventSchemas.violations(EventType.POINTS_EARNED.type(), earned.get(0).value())).isEmpty();
        assertThat(earned.get(0).value()).contains("\"status\":\"pending\"").contains("\"points\":129").contains("\"reason\":\"order\"");
        JsonPath entries = given().auth().oauth2(MANAGER).get("/api/loyalty/customers/" + customer + "/points/entries").then().statusCode(200)
                .extract().jsonPath();
        assertThat(entries.getList("entries.state")).containsOnly("pending");
        assertThat(Instant.parse(entries.getString("entries[1].vestsAt"))).isAfter(Instant.now().plus(Duration.ofDays(29)));
    }

    @Test
    void aRefundBeforeVestingCancelsThePendingPointsExactlyOnce() {
        UUID customer = UUID.randomUUID();
        String order = "R-" + customer;
        Fixtures.order(customer, order, "100.00", Instant.now());
        awaitPoints(customer, "pending", 100);
        Fixtures.refund(customer, order, "refund-1", "100.00");
        awaitPoints(customer, "pending", 0);
        Fixtures.refund(customer, order, "refund-1", "100.00"); // the same refund again
        Fixtures.refund(customer, order, "refund-2", "100.00"); // more than the order: nothing left to take
        Fixtures.order(customer, "after-" + customer, "7.00", Instant.now()); // a later event shows the refunds were applied
        awaitPoints(customer, "pending", 7);
        JsonPath points = balance(customer);
        assertThat(points.getLong("available")).isZero();
        assertThat(points.getLong("debt")).isZero();
        List<ConsumerRecord<String, String>> reversed = Fixtures.events(EventType.POINTS_REVERSED, customer, 1);
        Fixtures.exactly(EventType.POINTS_REVERSED, customer, 1);
        assertThat(EventSchemas.violations(EventType.POINTS_REVERSED.type(), reversed.get(0).value())).isEmpty();
        assertThat(reversed.get(0).value()).contains("\"points\":100").contains("\"wasPending\":true");
        // the pending lot was consumed by the reversal: it can never become available
        TestSql.update("UPDATE points_entry SET vests_at = now() - interval '1 second' WHERE customer_id = ? AND reference = ?", customer, order);
        await().atMost(Fixtures.WAIT).until(() -> "t".equals(TestSql.value(
                "SELECT vested FROM points_entry WHERE customer_id = ? AND reference = ? AND kind = 'earn'", customer, order)));
        assertThat(balance(customer).getLong("available")).isZero();
    }

    @Test
    void aRefundAfterVestingTakesBackItsShareAndNeverMoreThanTheOrderEarned() {
        UUID customer = UUID.randomUUID();
        String order = "V-" + customer;
        Fixtures.order(customer, order, "80.00", LONG_AGO);
        awaitPoints(customer, "available", 80);
        Fixtures.refund(customer, order, "half", "40.00");
        awaitPoints(customer, "available", 40);
        Fixtures.refund(customer, order, "half", "40.00"); // replayed
        Fixtures.refund(customer, order, "rest", "60.00"); // refunds beyond the order's total stop at what it earned
        awaitPoints(customer, "available", 0);
        Fixtures.order(customer, "next-" + customer, "5.00", LONG_AGO);
        awaitPoints(customer, "available", 5);
        assertThat(TestSql.value("SELECT -sum(points) FROM points_entry WHERE customer_id = ? AND kind = 'reverse'", customer)).isEqualTo("80");
        assertThat(Fixtures.events(EventType.POINTS_REVERSED, customer, 2)).allSatisfy(e -> assertThat(e.value()).contains("\"wasPending\":false"));
    }

    @Test
    void aClawbackOfPointsAlreadySpentLeavesADebtThatLaterPointsPay() {
        UUID customer = UUID.randomUUID();
        String order = "D-" + customer;
        Fixtures.order(customer, order, "100.00", LONG_AGO);
        awaitPoints(customer, "available", 100);
        String reward = Fixtures.reward(80, null, null, List.of());
        given().auth().oauth2(TestTokens.member(customer)).contentType(ContentType.JSON)
                .body("{\"rewardId\":\"" + reward + "\",\"confirm\":true}").post("/api/loyalty/redemptions").then().statusCode(201)
                .body("status", equalTo("confirmed"));
        Fixtures.refund(customer, order, "all", "100.00");
        awaitPoints(customer, "debt", 80);
        assertThat(balance(customer).getLong("available")).isZero();
        Fixtures.order(customer, "pay-" + customer, "30.00", LONG_AGO);
        awaitPoints(customer, "debt", 50);
        assertThat(balance(customer).getLong("available")).isZero();
    }

    @Test
    void engagementEarnsPerActionUpToItsDailyCap() {
        String type = "share";
        if (TestSql.value("SELECT id FROM earn_rule WHERE name = 'Sharing'") == null) {
            given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                    {"name":"Sharing","kind":"engagement","interaction":"share","points":10,"capPoints":25,"capPeriod":"day"}""")
                    .post("/api/loyalty/earn-rules").then().statusCode(201).body("capPoints", equalTo(25));
        }
        UUID customer = UUID.randomUUID();
        for (int i = 0; i < 4; i++) {
            Fixtures.interaction(customer, type);
        }
        awaitPoints(customer, "available", 25);
        Fixtures.interaction(customer, "page_view"); // no rule
        assertThat(TestSql.value("SELECT string_agg(CAST(points AS text), ',' ORDER BY id) FROM points_entry WHERE customer_id = ?", customer))
                .isEqualTo("10,10,5");
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                {"name":"","kind":"engagement","interaction":"teleport","points":0,"capPoints":5}""")
                .post("/api/loyalty/earn-rules").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("name", "points", "interaction", "capPoints"));
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"name\":\"x\",\"kind\":\"order\"}")
                .post("/api/loyalty/earn-rules").then().statusCode(400).body("errors.field", hasItems("pointsPerUnit"));
        given().auth().oauth2(TestTokens.bearer("marketer")).get("/api/loyalty/earn-rules").then().statusCode(403);
    }

    @Test
    void adjustmentsAreAuditedAndNeverTakeMoreThanIsAvailable() {
        UUID customer = UUID.randomUUID();
        Fixtures.credit(customer, 500);
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"points\":-200,\"note\":\"duplicate goodwill\"}")
                .post("/api/loyalty/customers/" + customer + "/points/adjustments").then().statusCode(201)
                .body("points", equalTo(-200)).body("kind", equalTo("adjust")).body("note", equalTo("duplicate goodwill"));
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"points\":-301,\"note\":\"too much\"}")
                .post("/api/loyalty/customers/" + customer + "/points/adjustments").then().statusCode(409)
                .contentType("application/problem+json");
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"points\":0}")
                .post("/api/loyalty/customers/" + customer + "/points/adjustments").then().statusCode(400);
        given().auth().oauth2(TestTokens.bearer("analyst")).contentType(ContentType.JSON).body("{\"points\":5,\"note\":\"x\"}")
                .post("/api/loyalty/customers/" + customer + "/points/adjustments").then().statusCode(403);
        assertThat(balance(customer).getLong("available")).isEqualTo(300);
        assertThat(TestSql.value("SELECT string_agg(details, ' | ' ORDER BY id) FROM audit_log WHERE customer_id = ? AND action = 'points.adjust'",
                customer)).contains("points=500").contains("points=-200; ").contains("note=duplicate goodwill");
    }

    @Test
    void pointsExpireFirstInFirstOutAfterAnAdvanceNotice() {
        UUID customer = UUID.randomUUID();
        Fixtures.order(customer, "old-" + customer, "100.00", LONG_AGO.minus(Duration.ofDays(1)));
        Fixtures.order(customer, "new-" + customer, "100.00", LONG_AGO);
        awaitPoints(customer, "available", 200);
        String reward = Fixtures.reward(60, null, null, List.of());
        given().auth().oauth2(TestTokens.member(customer)).contentType(ContentType.JSON)
                .body("{\"rewardId\":\"" + reward + "\",\"confirm\":true}").post("/api/loyalty/redemptions").then().statusCode(201);
        // the redemption was paid from the older lot, which expires first
        assertThat(TestSql.value("SELECT remaining FROM points_entry WHERE customer_id = ? AND reference = ?", customer, "old-" + customer))
                .isEqualTo("40");
        assertThat(TestSql.value("SELECT remaining FROM points_entry WHERE customer_id = ? AND reference = ?", customer, "new-" + customer))
                .isEqualTo("100");

        // the older lot comes within the notice period, then expires; the newer one is untouched
        TestSql.update("UPDATE points_entry SET expires_at = now() + interval '2 days' WHERE customer_id = ? AND reference = ?", customer,
                "old-" + customer);
        List<ConsumerRecord<String, String>> notice = Fixtures.events(EventType.POINTS_EXPIRING, customer, 1);
        assertThat(notice).hasSize(1);
        assertThat(EventSchemas.violations(EventType.POINTS_EXPIRING.type(), notice.get(0).value())).isEmpty();
        assertThat(notice.get(0).value()).contains("\"points\":40");
        assertThat(balance(customer).getLong("expiringSoon")).isEqualTo(40);
        TestSql.update("UPDATE points_entry SET expires_at = now() - interval '1 second' WHERE customer_id = ? AND reference = ?", customer,
                "old-" + customer);
        awaitPoints(customer, "lifetimeExpired", 40);
        JsonPath points = balance(customer);
        assertThat(points.getLong("available")).isEqualTo(100);
        List<ConsumerRecord<String, String>> expired = Fixtures.events(EventType.POINTS_EXPIRED, customer, 1);
        assertThat(expired).hasSize(1);
        assertThat(EventSchemas.violations(EventType.POINTS_EXPIRED.type(), expired.get(0).value())).isEmpty();
        assertThat(expired.get(0).value()).contains("\"points\":40");
        Fixtures.exactly(EventType.POINTS_EXPIRING, customer, 1); // the notice is given once
    }
}
