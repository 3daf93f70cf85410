package io.custops.community;

import static io.custops.community.Fixtures.MANAGER;
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

/** Loyalty tiers: upgrade at once, downgrade at the period's end, tier-restricted rewards. */
@QuarkusTest
class LoyaltyTierTest {
    private static final Instant PLACED = Instant.now().minus(Duration.ofDays(40));

    @BeforeEach
    void programme() {
        Fixtures.pointPerEuro();
        if (TestSql.value("SELECT id FROM tier_set WHERE name = 'Status'") == null) {
            given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                    {"name":"Status","basis":"points","windowDays":365,"period":"month","graceDays":0,
                     "tiers":[{"name":"Gold","threshold":300,"benefits":["free shipping","salon invitations"]},
                              {"name":"Silver","threshold":100,"benefits":["birthday gift"]}]}""")
                    .post("/api/loyalty/tier-sets").then().statusCode(201)
                    .body("tiers.name", org.hamcrest.Matchers.contains("Silver", "Gold"));
        }
    }

    @Test
    void membersAreUpgradedAtOnceAndDowngradedOnlyWhenTheirDowngradeDateComes() {
        UUID customer = UUID.randomUUID();
        String member = TestTokens.member(customer);
        Fixtures.order(customer, "T1-" + customer, "150.00", PLACED);
        awaitTier(customer, "Silver");
        assertThat(status(customer).getString("nextTier")).isEqualTo("Gold");
        assertThat(status(customer).getFloat("toNextTier")).isEqualTo(150f);
        Fixtures.order(customer, "T2-" + customer, "200.00", PLACED);
        awaitTier(customer, "Gold");
        List<ConsumerRecord<String, String>> changes = Fixtures.events(EventType.LOYALTY_TIER_CHANGED, customer, 2);
        assertThat(changes).hasSize(2);
        assertThat(EventSchemas.violations(EventType.LOYALTY_TIER_CHANGED.type(), changes.get(0).value())).isEmpty();
        assertThat(changes.get(0).value()).contains("\"from\":null").contains("\"to\":\"Silver\"").contains("\"direction\":\"upgrade\"");
        assertThat(changes.get(1).value()).contains("\"from\":\"Silver\"").contains("\"to\":\"Gold\"");
        given().auth().oauth2(member).get("/api/loyalty/me/tiers").then().statusCode(200)
                .body("benefits.flatten()", hasItems("free shipping", "salon invitations"));

        // falling below Gold schedules a downgrade at the end of the month; until then the member stays Gold
        Fixtures.refund(customer, "T2-" + customer, "r1", "200.00");
        await().atMost(Fixtures.WAIT).until(() -> status(customer).getString("downgradeAt") != null);
        assertThat(Instant.parse(status(customer).getString("downgradeAt"))).isAfter(Instant.now());
        assertThat(status(customer).getString("tier")).isEqualTo("Gold");
        String goldOnly = Fixtures.reward(10, null, null, List.of("Gold"));
        given().auth().oauth2(member).contentType(ContentType.JSON).body("{\"rewardId\":\"" + goldOnly + "\",\"confirm\":true}")
                .post("/api/loyalty/redemptions").then().statusCode(201);

        TestSql.update("UPDATE member_tier SET downgrade_at = now() - interval '1 second' WHERE customer_id = ?", customer);
        awaitTier(customer, "Silver");
        assertThat(status(customer).getString("downgradeAt")).isNull();
        ConsumerRecord<String, String> downgrade = Fixtures.events(EventType.LOYALTY_TIER_CHANGED, customer, 3).get(2);
        assertThat(downgrade.value()).contains("\"from\":\"Gold\"").contains("\"to\":\"Silver\"").contains("\"direction\":\"downgrade\"");
        given().auth().oauth2(member).contentType(ContentType.JSON).body("{\"rewardId\":\"" + goldOnly + "\"}")
                .post("/api/loyalty/redemptions").then().statusCode(409);
    }

    @Test
    void aMemberWhoQualifiesAgainBeforeTheDateKeepsTheTier() {
        UUID customer = UUID.randomUUID();
        Fixtures.order(customer, "Q1-" + customer, "120.00", PLACED);
        awaitTier(customer, "Silver");
        Fixtures.refund(customer, "Q1-" + customer, "r", "120.00");
        await().atMost(Fixtures.WAIT).until(() -> status(customer).getString("downgradeAt") != null);
        Fixtures.order(customer, "Q2-" + customer, "110.00", PLACED);
        await().atMost(Fixtures.WAIT).until(() -> status(customer).getString("downgradeAt") == null);
        assertThat(status(customer).getString("tier")).isEqualTo("Silver");
    }

    @Test
    void aTierSetChangesWithItsVersionAndKeepsTiersThatHaveMembers() {
        String name = "Editable " + UUID.randomUUID();
        String set = given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                {"name":"%s","basis":"spend","currency":"EUR","windowDays":365,"period":"year","graceDays":30,
                 "tiers":[{"name":"Club","threshold":100000},{"name":"Circle","threshold":500000}]}""".formatted(name))
                .post("/api/loyalty/tier-sets").then().statusCode(201).body("version", equalTo(1)).extract().path("id");
        String update = """
                {"name":"%s","basis":"spend","currency":"EUR","windowDays":180,"period":"quarter","graceDays":14,"version":%d,
                 "tiers":[{"name":"Club","threshold":200000,"benefits":["priority support"]},{"name":"Inner circle","threshold":900000}]}""";
        // a member in Circle keeps it from being dropped
        UUID member = UUID.randomUUID();
        TestSql.update("INSERT INTO member_tier (customer_id, tier_set_id, tier_id, since) SELECT ?, tier_set_id, id, now() FROM loyalty_tier"
                + " WHERE tier_set_id = ? AND name = 'Circle'", member, UUID.fromString(set));
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body(update.formatted(name, 1)).put("/api/loyalty/tier-sets/" + set)
                .then().statusCode(409);
        TestSql.update("DELETE FROM member_tier WHERE customer_id = ?", member);
        given().auth().oauth2(MANAGER).get("/api/loyalty/tier-sets/" + set).then().body("version", equalTo(1))
                .body("tiers.name", org.hamcrest.Matchers.contains("Club", "Circle"));
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body(update.formatted(name, 1)).put("/api/loyalty/tier-sets/" + set)
                .then().statusCode(200).body("version", equalTo(2)).body("windowDays", equalTo(180)).body("period", equalTo("quarter"))
                .body("tiers.name", org.hamcrest.Matchers.contains("Club", "Inner circle"))
                .body("tiers[0].benefits", org.hamcrest.Matchers.contains("priority support"));
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body(update.formatted(name, 1)).put("/api/loyalty/tier-sets/" + set)
                .then().statusCode(409);
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON)
                .body(update.formatted(name, 2).replace("\"version\":2", "\"version\":2,\"active\":false")).put("/api/loyalty/tier-sets/" + set)
                .then().statusCode(200).body("active", equalTo(false));
    }

    @Test
    void aTierSetIsValidated() {
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                {"name":"","basis":"spend","windowDays":0,"period":"week","tiers":[{"name":"A","threshold":1},{"name":"a","threshold":1}]}""")
                .post("/api/loyalty/tier-sets").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("name", "currency", "windowDays", "period", "tiers[1].name", "tiers[1].threshold"));
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON).body("{}").post("/api/loyalty/tier-sets")
                .then().statusCode(403);
    }

    private static JsonPath status(UUID customer) {
        JsonPath all = given().auth().oauth2(MANAGER).get("/api/loyalty/customers/" + customer + "/tiers").then().statusCode(200)
                .extract().jsonPath();
        int index = all.getList("tierSet").indexOf("Status");
        return new JsonPath(all.prettify()).setRootPath("[" + index + "]");
    }

    private static void awaitTier(UUID customer, String tier) {
        await().atMost(Fixtures.WAIT).until(() -> tier.equals(status(customer).getString("tier")));
    }
}
