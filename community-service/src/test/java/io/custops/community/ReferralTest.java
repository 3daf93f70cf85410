package io.custops.community;

import static io.custops.community.Fixtures.MANAGER;
import static io.custops.community.Fixtures.awaitPoints;
import static io.custops.community.Fixtures.balance;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

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

/** Referrals: a code per member, attribution at registration and first order, rewards for both, guarded against abuse. */
@QuarkusTest
class ReferralTest {

    @BeforeEach
    void rules() {
        Fixtures.pointPerEuro();
        rule("Referral sign-up", "registered", 200, 50, ",\"capPoints\":400,\"capPeriod\":\"month\"");
        rule("Referral first order", "first-order", 300, 100, "");
    }

    @Test
    void aReferralRewardsBothAtRegistrationAndAtTheFirstOrderOnce() {
        UUID referrer = UUID.randomUUID();
        UUID referee = UUID.randomUUID();
        String code = given().auth().oauth2(TestTokens.member(referrer)).get("/api/referrals/me").then().statusCode(200)
                .body("referred", equalTo(0)).extract().path("code");
        given().auth().oauth2(TestTokens.member(referrer)).get("/api/referrals/me").then().body("code", equalTo(code)); // stable
        Fixtures.registered(referee, Instant.now());
        awaitRegistered(referee);

        claim(referee, code).statusCode(201).body("referrerId", equalTo(referrer.toString()));
        assertThat(balance(referrer).getLong("available")).isEqualTo(200);
        assertThat(balance(referee).getLong("available")).isEqualTo(50);
        ConsumerRecord<String, String> registered = Fixtures.events(EventType.REFERRAL_COMPLETED, referrer, 1).get(0);
        assertThat(EventSchemas.violations(EventType.REFERRAL_COMPLETED.type(), registered.value())).isEmpty();
        assertThat(registered.value()).contains("\"stage\":\"registered\"").contains("\"referrerPoints\":200").contains("\"refereePoints\":50");

        claim(referee, code).statusCode(409); // a referee is referred once
        Fixtures.order(referee, "F1-" + referee, "10.00", Instant.now());
        awaitPoints(referrer, "available", 500);
        Fixtures.order(referee, "F2-" + referee, "10.00", Instant.now());
        Fixtures.order(referee, "F1-" + referee, "10.00", Instant.now()); // the first order again under a new event id
        awaitPoints(referee, "pending", 20);
        assertThat(balance(referrer).getLong("available")).isEqualTo(500);
        assertThat(balance(referee).getLong("available")).isEqualTo(150);
        Fixtures.exactly(EventType.REFERRAL_COMPLETED, referrer, 2);
        given().auth().oauth2(TestTokens.member(referrer)).get("/api/referrals/me").then().statusCode(200)
                .body("referred", equalTo(1)).body("firstOrders", equalTo(1)).body("pointsEarned", equalTo(500));
        given().auth().oauth2(TestTokens.member(referrer)).get("/api/referrals/me/referrals").then().statusCode(200)
                .body("[0].firstOrderId", equalTo("F1-" + referee));
    }

    @Test
    void selfReferralsCustomersWhoOrderedLateClaimsAndUnknownCodesAreRefused() {
        UUID referrer = UUID.randomUUID();
        String code = given().auth().oauth2(TestTokens.member(referrer)).get("/api/referrals/me").then().extract().path("code");
        claim(referrer, code).statusCode(409).contentType("application/problem+json");

        UUID customer = UUID.randomUUID();
        Fixtures.order(customer, "B-" + customer, "5.00", Instant.now());
        awaitPoints(customer, "pending", 5);
        claim(customer, code).statusCode(409);

        UUID late = UUID.randomUUID();
        Fixtures.registered(late, Instant.now().minus(Duration.ofDays(45)));
        awaitRegistered(late);
        claim(late, code).statusCode(409);

        claim(UUID.randomUUID(), "NOSUCHCODE").statusCode(404);
        claim(UUID.randomUUID(), "").statusCode(400);

        // mutual referral: the referee's code cannot then bring in the referrer
        UUID referee = UUID.randomUUID();
        claim(referee, code).statusCode(201);
        String refereeCode = given().auth().oauth2(TestTokens.member(referee)).get("/api/referrals/me").then().extract().path("code");
        claim(referrer, refereeCode).statusCode(409);
        assertThat(balance(referrer).getLong("available")).isEqualTo(200);
    }

    @Test
    void theReferrersRewardStopsAtItsCapWhileRefereesStillGetTheirs() {
        UUID referrer = UUID.randomUUID();
        String code = given().auth().oauth2(TestTokens.member(referrer)).get("/api/referrals/me").then().extract().path("code");
        List<UUID> referees = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        for (UUID referee : referees) {
            given().auth().oauth2(Fixtures.MANAGER).contentType(ContentType.JSON)
                    .body("{\"code\":\"%s\",\"refereeId\":\"%s\"}".formatted(code.toLowerCase(), referee))
                    .post("/api/referrals/claims").then().statusCode(201);
        }
        assertThat(balance(referrer).getLong("available")).isEqualTo(400);
        assertThat(referees).allSatisfy(r -> assertThat(balance(r).getLong("available")).isEqualTo(50));
        given().auth().oauth2(TestTokens.member(referrer)).contentType(ContentType.JSON)
                .body("{\"code\":\"%s\",\"refereeId\":\"%s\"}".formatted(code, UUID.randomUUID())).post("/api/referrals/claims")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.member(referrer)).get("/api/referrals/customers/" + referees.get(0)).then().statusCode(404);
    }

    private static io.restassured.response.ValidatableResponse claim(UUID referee, String code) {
        return given().auth().oauth2(TestTokens.member(referee)).contentType(ContentType.JSON).body("{\"code\":\"" + code + "\"}")
                .post("/api/referrals/claim").then();
    }

    private static void awaitRegistered(UUID customer) {
        await().atMost(Fixtures.WAIT).until(() -> TestSql.value("SELECT 1 FROM customer_registration WHERE customer_id = ?", customer) != null);
    }

    private static void rule(String name, String stage, int points, int refereePoints, String cap) {
        if (TestSql.value("SELECT id FROM earn_rule WHERE name = ?", name) == null) {
            given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                    {"name":"%s","kind":"referral","stage":"%s","points":%d,"refereePoints":%d%s}""".formatted(name, stage, points, refereePoints, cap))
                    .post("/api/loyalty/earn-rules").then().statusCode(201);
        }
    }
}
