package io.custops.community;

import static io.custops.community.Fixtures.MANAGER;
import static io.custops.community.Fixtures.balance;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.local.testing.TestSql;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Redemption reserves then confirms; concurrency never overspends points or stock; a member reaches only their own. */
@QuarkusTest
class RedemptionTest {

    @Test
    void twoSimultaneousRedemptionsThatTogetherExceedTheBalanceLetExactlyOneThrough() throws Exception {
        UUID customer = UUID.randomUUID();
        Fixtures.credit(customer, 100);
        String reward = Fixtures.reward(60, null, null, List.of());
        List<Integer> statuses = concurrently(2, i -> redeem(TestTokens.member(customer), null, reward, true, null));
        assertThat(statuses).containsExactlyInAnyOrder(201, 409);
        assertThat(balance(customer).getLong("available")).isEqualTo(40);
        assertThat(TestSql.value("SELECT count(*) FROM redemption WHERE customer_id = ? AND status = 'confirmed'", customer)).isEqualTo("1");
        List<ConsumerRecord<String, String>> redeemed = Fixtures.events(EventType.POINTS_REDEEMED, customer, 1);
        Fixtures.exactly(EventType.POINTS_REDEEMED, customer, 1);
        assertThat(EventSchemas.violations(EventType.POINTS_REDEEMED.type(), redeemed.get(0).value())).isEmpty();
    }

    @Test
    void theLastUnitOfStockGoesToOneCustomerOnly() throws Exception {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        Fixtures.credit(first, 100);
        Fixtures.credit(second, 100);
        String reward = Fixtures.reward(10, 1, null, List.of());
        UUID[] customers = { first, second };
        List<Integer> statuses = concurrently(2, i -> redeem(TestTokens.member(customers[i]), null, reward, true, null));
        assertThat(statuses).containsExactlyInAnyOrder(201, 409);
        given().auth().oauth2(MANAGER).get("/api/loyalty/rewards/" + reward).then().statusCode(200)
                .body("stock", equalTo(0)).body("redeemed", equalTo(1));
        assertThat(balance(first).getLong("available") + balance(second).getLong("available")).isEqualTo(190);
    }

    @Test
    void aReservationHoldsPointsAndStockUntilConfirmedCancelledOrLapsed() {
        UUID customer = UUID.randomUUID();
        String member = TestTokens.member(customer);
        Fixtures.credit(customer, 100);
        String reward = Fixtures.reward(30, 5, 2, List.of());

        String cancelled = given().auth().oauth2(member).contentType(ContentType.JSON).body("{\"rewardId\":\"" + reward + "\"}")
                .post("/api/loyalty/redemptions").then().statusCode(201).body("status", equalTo("reserved")).extract().path("id");
        assertThat(balance(customer).getLong("available")).isEqualTo(70);
        assertThat(balance(customer).getLong("reserved")).isEqualTo(30);
        given().auth().oauth2(member).post("/api/loyalty/redemptions/" + cancelled + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
        given().auth().oauth2(member).post("/api/loyalty/redemptions/" + cancelled + "/confirm").then().statusCode(409);
        assertThat(balance(customer).getLong("available")).isEqualTo(100);

        String lapsing = given().auth().oauth2(member).contentType(ContentType.JSON).header("Idempotency-Key", "lapse-" + customer)
                .body("{\"rewardId\":\"" + reward + "\"}").post("/api/loyalty/redemptions").then().statusCode(201).extract().path("id");
        given().auth().oauth2(member).contentType(ContentType.JSON).header("Idempotency-Key", "lapse-" + customer)
                .body("{\"rewardId\":\"" + reward + "\"}").post("/api/loyalty/redemptions").then().statusCode(201).body("id", equalTo(lapsing));
        given().auth().oauth2(MANAGER).get("/api/loyalty/rewards/" + reward).then().body("stock", equalTo(4)).body("reserved", equalTo(1));
        TestSql.update("UPDATE redemption SET hold_until = now() - interval '1 second' WHERE id = ?", UUID.fromString(lapsing));
        await().atMost(Fixtures.WAIT).until(() -> "lapsed".equals(TestSql.value("SELECT status FROM redemption WHERE id = ?",
                UUID.fromString(lapsing))));
        given().auth().oauth2(MANAGER).get("/api/loyalty/rewards/" + reward).then().body("stock", equalTo(5)).body("reserved", equalTo(0));
        given().auth().oauth2(member).post("/api/loyalty/redemptions/" + lapsing + "/confirm").then().statusCode(409);

        String confirmed = given().auth().oauth2(member).contentType(ContentType.JSON).body("{\"rewardId\":\"" + reward + "\"}")
                .post("/api/loyalty/redemptions").then().statusCode(201).extract().path("id");
        given().auth().oauth2(member).post("/api/loyalty/redemptions/" + confirmed + "/confirm").then().statusCode(200)
                .body("status", equalTo("confirmed"));
        given().auth().oauth2(member).post("/api/loyalty/redemptions/" + confirmed + "/cancel").then().statusCode(409);
        assertThat(balance(customer).getLong("available")).isEqualTo(70);
        assertThat(balance(customer).getLong("lifetimeRedeemed")).isEqualTo(30);
        redeemExpecting(member, reward, 201);
        redeemExpecting(member, reward, 409); // the limit of two per member (one confirmed, one reserved)
        given().auth().oauth2(member).get("/api/loyalty/me/redemptions").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.hasItems("confirmed", "reserved", "lapsed", "cancelled"));
    }

    @Test
    void rewardsCheckTheirOfferTierAndThePointsNeeded() {
        UUID customer = UUID.randomUUID();
        String member = TestTokens.member(customer);
        Fixtures.credit(customer, 50);
        redeemExpecting(member, Fixtures.reward(51, null, null, List.of()), 409);
        redeemExpecting(member, Fixtures.reward(10, null, null, List.of("Gold")), 409);
        redeemExpecting(member, Fixtures.reward(10, 0, null, List.of()), 409);
        redeemExpecting(member, UUID.randomUUID().toString(), 404);
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"name\":\"\",\"pointsPrice\":0,\"stock\":-1}")
                .post("/api/loyalty/rewards").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItems("name", "pointsPrice", "stock"));
        given().auth().oauth2(member).contentType(ContentType.JSON).body("{\"name\":\"Mine\",\"pointsPrice\":1}")
                .post("/api/loyalty/rewards").then().statusCode(403);
        // members see only what is on offer now: not the out-of-stock reward
        List<Integer> stocks = given().auth().oauth2(member).get("/api/loyalty/rewards").then().statusCode(200).extract().path("stock");
        assertThat(stocks).doesNotContain(0);
        assertThat(balance(customer).getLong("available")).isEqualTo(50);
    }

    @Test
    void aMemberTryingAnotherMembersIdsGetsNothing() {
        UUID mine = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        Fixtures.credit(mine, 40);
        Fixtures.credit(theirs, 90);
        String reward = Fixtures.reward(10, null, null, List.of());
        String theirRedemption = redeem(MANAGER, theirs, reward, false, null) == 201
                ? TestSql.value("SELECT CAST(id AS text) FROM redemption WHERE customer_id = ?", theirs) : null;
        assertThat(theirRedemption).isNotNull();
        String member = TestTokens.member(mine);

        given().auth().oauth2(member).get("/api/loyalty/me/points").then().statusCode(200).body("available", equalTo(40))
                .body("customerId", equalTo(mine.toString()));
        given().auth().oauth2(member).get("/api/loyalty/customers/" + mine + "/points").then().statusCode(200);
        given().auth().oauth2(member).get("/api/loyalty/customers/" + theirs + "/points").then().statusCode(404);
        given().auth().oauth2(member).get("/api/loyalty/customers/" + theirs + "/points/entries").then().statusCode(404);
        given().auth().oauth2(member).get("/api/loyalty/customers/" + theirs + "/redemptions").then().statusCode(404);
        given().auth().oauth2(member).get("/api/loyalty/redemptions/" + theirRedemption).then().statusCode(404);
        given().auth().oauth2(member).post("/api/loyalty/redemptions/" + theirRedemption + "/confirm").then().statusCode(404);
        given().auth().oauth2(member).post("/api/loyalty/redemptions/" + theirRedemption + "/cancel").then().statusCode(404);
        assertThat(redeem(member, theirs, reward, true, null)).isEqualTo(404);
        given().auth().oauth2(member).contentType(ContentType.JSON).body("{\"points\":1000,\"note\":\"mine now\"}")
                .post("/api/loyalty/customers/" + mine + "/points/adjustments").then().statusCode(403);
        given().auth().oauth2(member).get("/api/loyalty/me/points/entries").then().statusCode(200)
                .body("entries.size()", equalTo(1));
        given().get("/api/loyalty/me/points").then().statusCode(401);
        given().auth().oauth2(TestTokens.bearer("member")).get("/api/loyalty/me/points").then().statusCode(403); // no customer_id claim
        assertThat(balance(theirs).getLong("available")).isEqualTo(80);
        assertThat(TestSql.value("SELECT status FROM redemption WHERE id = ?", UUID.fromString(theirRedemption))).isEqualTo("reserved");
    }

    private static void redeemExpecting(String token, String reward, int status) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"rewardId\":\"" + reward + "\"}")
                .post("/api/loyalty/redemptions").then().statusCode(status);
    }

    private static int redeem(String token, UUID customer, String reward, boolean confirm, String key) {
        var request = given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"customerId\":%s,\"rewardId\":\"%s\",\"confirm\":%s}"
                .formatted(customer == null ? "null" : "\"" + customer + "\"", reward, confirm));
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.post("/api/loyalty/redemptions").then().extract().statusCode();
    }

    private interface Call {
        int run(int index) throws Exception;
    }

    private static List<Integer> concurrently(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<Integer> task = () -> {
                    start.await();
                    return call.run(index);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
