package io.custops.campaign;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Coupon pools: limits under concurrency, uploaded codes, expiry, redemption by API and by order, members' own coupons. */
@QuarkusTest
class CouponTest {
    private final String marketer = TestTokens.bearer("marketer");

    @Test
    void aGeneratedPoolIssuesWithinThePerCustomerLimitEvenUnderConcurrentRequests() throws Exception {
        String pool = pool("generated", "SPRING", 1, null);
        UUID customer = UUID.randomUUID();
        List<CompletableFuture<Integer>> racing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racing.add(CompletableFuture.supplyAsync(() -> issue(pool, customer, null).extract().statusCode()));
        }
        List<Integer> statuses = racing.stream().map(CompletableFuture::join).toList();
        assertThat(statuses).containsOnly(200, 409).filteredOn(s -> s == 200).hasSize(1);
        String code = given().auth().oauth2(marketer).get("/api/coupons/customers/" + customer).then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].status", equalTo("issued")).extract().path("[0].code");
        assertThat(code).matches("SPRING-[A-Z2-9]{8}");
        var issued = Fixtures.exactlyOne(EventType.COUPON_ISSUED, customer);
        assertThat(EventSchemas.violations(EventType.COUPON_ISSUED.type(), issued.value())).isEmpty();

        // an Idempotency-Key replays the same coupon instead of refusing the retry
        UUID other = UUID.randomUUID();
        String first = issue(pool, other, "retry-1").statusCode(200).extract().path("code");
        issue(pool, other, "retry-1").statusCode(200).body("code", equalTo(first));
        issue(pool, other, "retry-2").statusCode(409).contentType("application/problem+json");
    }

    @Test
    void anUploadedPoolHandsOutItsCodesOnceEachUntilItRunsOut() {
        String pool = pool("uploaded", null, 1, null);
        String a = "UP-" + UUID.randomUUID().toString().substring(0, 8);
        String b = "UP-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{\"codes\":[\"" + a + "\",\"" + b + "\",\"" + a + "\"]}")
                .post("/api/coupons/pools/" + pool + "/codes").then().statusCode(200).body("added", equalTo(2)).body("duplicates", equalTo(1));
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{\"codes\":[\"bad code!\"]}")
                .post("/api/coupons/pools/" + pool + "/codes").then().statusCode(400).body("errors[0].field", equalTo("codes[0]"));
        List<String> handed = new ArrayList<>();
        handed.add(issue(pool, UUID.randomUUID(), null).statusCode(200).extract().path("code"));
        handed.add(issue(pool, UUID.randomUUID(), null).statusCode(200).extract().path("code"));
        assertThat(handed).containsExactlyInAnyOrder(a, b);
        issue(pool, UUID.randomUUID(), null).statusCode(409).body("detail", org.hamcrest.Matchers.containsString("no codes left"));
        given().auth().oauth2(marketer).get("/api/coupons/pools/" + pool).then().statusCode(200)
                .body("counts.available", equalTo(0)).body("counts.issued", equalTo(2));
    }

    @Test
    void aCouponIsRedeemedOnceByItsCustomerThroughTheApiOrAnOrder() throws Exception {
        String pool = pool("generated", "RD", 2, null);
        UUID customer = UUID.randomUUID();
        String byApi = issue(pool, customer, null).statusCode(200).extract().path("code");
        String byOrder = issue(pool, customer, null).statusCode(200).extract().path("code");
        String integrator = TestTokens.bearer("integrator");

        given().auth().oauth2(integrator).contentType(ContentType.JSON)
                .body("{\"code\":\"" + byApi + "\",\"customerId\":\"" + UUID.randomUUID() + "\"}").post("/api/coupons/redeem")
                .then().statusCode(404);
        given().auth().oauth2(integrator).contentType(ContentType.JSON)
                .body("{\"code\":\"" + byApi + "\",\"customerId\":\"" + customer + "\",\"orderId\":\"API-1\"}").post("/api/coupons/redeem")
                .then().statusCode(200).body("status", equalTo("redeemed")).body("orderId", equalTo("API-1"));
        given().auth().oauth2(integrator).contentType(ContentType.JSON)
                .body("{\"code\":\"" + byApi + "\",\"customerId\":\"" + customer + "\"}").post("/api/coupons/redeem")
                .then().statusCode(409);

        io.custops.local.testing.KafkaTestClient.send(io.custops.events.Topics.ACTIVITY, customer.toString(), """
                {"customerId":"%s","orderId":"ORD-C1","placedAt":"%s","amount":{"value":"40.00","currency":"EUR"},"source":"pos",
                 "couponCodes":["%s","UNKNOWN-CODE"]}""".formatted(customer, Instant.now(), byOrder),
                io.custops.local.testing.KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.ORDER_PLACED.type(), customer));
        await().atMost(Fixtures.WAIT).until(() -> "redeemed ORD-C1".equals(Fixtures.sql(
                "SELECT status || ' ' || order_id FROM coupon WHERE code = ?", byOrder)));
        assertThat(Fixtures.events(EventType.COUPON_REDEEMED, customer, 2)).hasSize(2)
                .allSatisfy(r -> assertThat(EventSchemas.violations(EventType.COUPON_REDEEMED.type(), r.value())).isEmpty());
        given().auth().oauth2(marketer).get("/api/coupons/pools/" + pool).then().body("counts.redeemed", equalTo(2))
                .body("counts.redemptionRate", equalTo(1.0f));

        // a member sees their own coupons and no one else's
        given().auth().oauth2(TestTokens.member(customer)).get("/api/coupons/customers/" + customer).then().statusCode(200)
                .body("code", hasItems(byApi, byOrder));
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).get("/api/coupons/customers/" + customer).then().statusCode(404);
    }

    @Test
    void expiredCouponsAndPoolsAreRefusedAndBadPoolsNameTheirFields() throws Exception {
        String pool = pool("generated", "EXP", 1, 10);
        UUID customer = UUID.randomUUID();
        String code = issue(pool, customer, null).statusCode(200).body("expiresAt", startsWith(
                Instant.now().plus(10, ChronoUnit.DAYS).toString().substring(0, 10))).extract().path("code");
        Fixtures.update("UPDATE coupon SET expires_at = now() - interval '1 minute' WHERE code = ?", code);
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{\"code\":\"" + code + "\",\"customerId\":\"" + customer + "\"}").post("/api/coupons/redeem")
                .then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("expired"));

        String ended = given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"ended-%s","kind":"generated","discount":"5%%","expiresAt":"%s"}""".formatted(UUID.randomUUID(),
                Instant.now().minus(1, ChronoUnit.DAYS))).post("/api/coupons/pools").then().statusCode(201).extract().path("id");
        issue(ended, UUID.randomUUID(), null).statusCode(409);

        given().auth().oauth2(marketer).contentType(ContentType.JSON)
                .body("{\"name\":\"\",\"kind\":\"magic\",\"prefix\":\"lower\",\"perCustomerLimit\":0,\"cost\":-1,\"currency\":\"euro\"}")
                .post("/api/coupons/pools").then().statusCode(400)
                .body("errors.field", hasItems("name", "kind", "prefix", "discount", "perCustomerLimit", "cost", "currency"));
        given().auth().oauth2(TestTokens.bearer("analyst")).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"kind\":\"generated\",\"discount\":\"1%\"}").post("/api/coupons/pools").then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("analyst")).contentType(ContentType.JSON).body("{\"code\":\"x\",\"customerId\":\""
                + customer + "\"}").post("/api/coupons/redeem").then().statusCode(403);
    }

    private String pool(String kind, String prefix, int limit, Integer validDays) {
        return given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"pool-%s","kind":"%s","prefix":%s,"discount":"15%%","perCustomerLimit":%d,"validDays":%s,
                 "cost":{"value":"2.50"},"currency":"EUR"}""".formatted(UUID.randomUUID(), kind, Fixtures.json(prefix), limit, validDays)
                .replace("\"cost\":{\"value\":\"2.50\"}", "\"cost\":2.50"))
                .post("/api/coupons/pools").then().statusCode(201).extract().path("id");
    }

    private io.restassured.response.ValidatableResponse issue(String pool, UUID customer, String key) {
        var request = given().auth().oauth2(marketer).contentType(ContentType.JSON);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.body("{\"customerId\":\"" + customer + "\"}").post("/api/coupons/pools/" + pool + "/issue").then();
    }
}
