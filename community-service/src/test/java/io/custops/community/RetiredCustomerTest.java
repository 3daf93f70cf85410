package io.custops.community;

import static io.custops.community.Fixtures.MANAGER;
import static io.custops.community.Fixtures.awaitPoints;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.custops.local.testing.TestSql;
import io.quarkus.test.junit.QuarkusTest;

/** ProfilesMerged folds a ledger into the survivor's; ProfileErased anonymises it. */
@QuarkusTest
class RetiredCustomerTest {

    @BeforeEach
    void rules() {
        Fixtures.pointPerEuro();
    }

    @Test
    void anErasedCustomersLedgerIsAnonymised() {
        UUID customer = UUID.randomUUID();
        Fixtures.credit(customer, 70);
        Fixtures.order(customer, "E-" + customer, "20.00", Instant.now());
        awaitPoints(customer, "pending", 20);
        String reward = Fixtures.reward(50, 3, null, List.of());
        given().auth().oauth2(MANAGER).contentType(io.restassured.http.ContentType.JSON)
                .body("{\"customerId\":\"" + customer + "\",\"rewardId\":\"" + reward + "\"}").post("/api/loyalty/redemptions")
                .then().statusCode(201);
        List<String> entries = List.of(TestSql.value("SELECT string_agg(CAST(id AS text), ',' ORDER BY id) FROM points_entry WHERE customer_id = ?",
                customer).split(","));
        assertThat(entries).hasSize(2);

        Fixtures.erased(customer);
        await().atMost(Fixtures.WAIT).until(() -> "0".equals(TestSql.value("SELECT count(*) FROM points_entry WHERE customer_id = ?", customer)));
        given().auth().oauth2(MANAGER).get("/api/loyalty/customers/" + customer + "/points").then().statusCode(404);
        assertThat(TestSql.value("SELECT count(*) FROM redemption WHERE customer_id = ?", customer)).isEqualTo("0");
        assertThat(TestSql.value("SELECT count(*) FROM order_points WHERE customer_id = ?", customer)).isEqualTo("0");
        // the amounts stay for the programme's totals, under one id that leads nowhere, without references or notes
        assertThat(TestSql.value("SELECT count(DISTINCT customer_id) || ' ' || count(*) || ' ' || sum(points) || ' ' || count(reference)"
                + " || ' ' || count(note) FROM points_entry WHERE id IN (" + String.join(",", entries) + ")")).isEqualTo("1 2 90 0 0");
        given().auth().oauth2(MANAGER).get("/api/loyalty/rewards/" + reward).then().body("stock", org.hamcrest.Matchers.equalTo(3));
        // later events about the erased id earn nothing
        Fixtures.order(customer, "E2-" + customer, "20.00", Instant.now());
        UUID probe = UUID.randomUUID();
        Fixtures.order(probe, "P-" + probe, "1.00", Instant.now());
        awaitPoints(probe, "pending", 1);
        assertThat(TestSql.value("SELECT count(*) FROM points_entry WHERE customer_id = ?", customer)).isEqualTo("0");
    }

    @Test
    void aMergedCustomersPointsFoldIntoTheSurvivorsAndLaterEventsFollow() {
        UUID survivor = UUID.randomUUID();
        UUID merged = UUID.randomUUID();
        Fixtures.credit(survivor, 50);
        Fixtures.credit(merged, 100);
        Fixtures.order(merged, "M-" + merged, "30.00", Instant.now());
        awaitPoints(merged, "pending", 30);
        Fixtures.merged(survivor, merged);
        awaitPoints(survivor, "available", 150);
        assertThat(Fixtures.balance(survivor).getLong("pending")).isEqualTo(30);
        // the merged id answers for the survivor; its refund still claws back the order's points
        Fixtures.refund(merged, "M-" + merged, "r", "30.00");
        awaitPoints(survivor, "pending", 0);
        Fixtures.order(merged, "M2-" + merged, "5.00", Instant.now());
        awaitPoints(survivor, "pending", 5);
        assertThat(TestSql.value("SELECT count(*) FROM points_entry WHERE customer_id = ?", merged)).isEqualTo("0");
    }

    @Test
    void aMergedMembersCommunitiesPostsAndLikesMoveToTheSurvivorWithoutCountingALikeTwice() {
        String community = given().auth().oauth2(MANAGER).contentType(io.restassured.http.ContentType.JSON)
                .body("{\"name\":\"Merge " + UUID.randomUUID() + "\",\"kind\":\"lifestyle\"}").post("/api/communities").then()
                .statusCode(201).extract().path("id");
        UUID survivor = UUID.randomUUID();
        UUID merged = UUID.randomUUID();
        UUID author = UUID.randomUUID();
        for (UUID member : List.of(survivor, merged, author)) {
            given().auth().oauth2(io.custops.local.testing.TestTokens.member(member)).post("/api/communities/" + community + "/join").then()
                    .statusCode(200);
        }
        String post = given().auth().oauth2(io.custops.local.testing.TestTokens.member(author)).contentType(io.restassured.http.ContentType.JSON)
                .body("{\"body\":\"Hello\"}").post("/api/communities/" + community + "/posts").then().statusCode(201).extract().path("id");
        String mergedPost = given().auth().oauth2(io.custops.local.testing.TestTokens.member(merged)).contentType(io.restassured.http.ContentType.JSON)
                .body("{\"body\":\"Mine\"}").post("/api/communities/" + community + "/posts").then().statusCode(201).extract().path("id");
        for (UUID member : List.of(survivor, merged)) {
            given().auth().oauth2(io.custops.local.testing.TestTokens.member(member)).put("/api/communities/posts/" + post + "/like").then()
                    .statusCode(200);
        }
        Fixtures.merged(survivor, merged);
        await().atMost(Fixtures.WAIT).until(() -> "0".equals(TestSql.value("SELECT count(*) FROM community_member WHERE customer_id = ?", merged)));
        given().auth().oauth2(MANAGER).get("/api/communities/posts/" + post).then().body("likes", org.hamcrest.Matchers.equalTo(1));
        given().auth().oauth2(io.custops.local.testing.TestTokens.member(survivor)).get("/api/communities/me/posts").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.hasItem(mergedPost));
        assertThat(TestSql.value("SELECT status FROM community_member WHERE customer_id = ? AND community_id = ?", survivor,
                UUID.fromString(community))).isEqualTo("active");
    }
}
