package io.custops.community;

import static io.custops.community.Fixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Community and programme metrics through the API and on /q/metrics. */
@QuarkusTest
class CommunityMetricsTest {

    @Test
    void aCommunitysPostsActiveShareAndParticipationAreMeasured() {
        String community = given().auth().oauth2(MANAGER).contentType(ContentType.JSON)
                .body("{\"name\":\"Measured " + UUID.randomUUID() + "\",\"kind\":\"product-interest\"}").post("/api/communities").then()
                .statusCode(201).extract().path("id");
        UUID poster = UUID.randomUUID();
        UUID attendee = UUID.randomUUID();
        UUID idle = UUID.randomUUID();
        for (UUID member : new UUID[] { poster, attendee, idle }) {
            given().auth().oauth2(TestTokens.member(member)).post("/api/communities/" + community + "/join").then().statusCode(200);
        }
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(TestTokens.member(poster)).contentType(ContentType.JSON).body("{\"body\":\"post " + i + "\"}")
                    .post("/api/communities/" + community + "/posts").then().statusCode(201);
        }
        Instant started = Instant.now().minus(Duration.ofMinutes(30));
        String activity = given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                {"communityId":"%s","title":"Live demo","format":"online","kind":"expert-talk","startsAt":"%s","endsAt":"%s","capacity":10,
                 "registrationClosesAt":"%s"}""".formatted(community, started, started.plus(Duration.ofHours(2)), started.plus(Duration.ofHours(1))))
                .post("/api/activities").then().statusCode(201).extract().path("id");
        for (UUID member : new UUID[] { attendee, idle }) {
            given().auth().oauth2(TestTokens.member(member)).post("/api/activities/" + activity + "/registrations").then().statusCode(201);
        }
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"customerId\":\"" + attendee + "\"}")
                .post("/api/activities/" + activity + "/attendance").then().statusCode(200);

        JsonPath metrics = given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/communities/" + community + "/metrics?days=10").then()
                .statusCode(200).extract().jsonPath();
        assertThat(metrics.getLong("members")).isEqualTo(3);
        assertThat(metrics.getDouble("postsPerDay")).isEqualTo(0.3);
        assertThat(metrics.getLong("activeMembers")).isEqualTo(2);
        assertThat(metrics.getDouble("activeShare")).isEqualTo(0.6667);
        assertThat(metrics.getLong("registrations")).isEqualTo(2);
        assertThat(metrics.getDouble("participationRate")).isEqualTo(0.5);
        assertThat(metrics.getDouble("attendingMemberShare")).isEqualTo(0.3333);

        JsonPath programme = given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/communities/metrics").then().statusCode(200)
                .body("days", equalTo(30)).extract().jsonPath();
        assertThat(programme.getLong("members")).isGreaterThanOrEqualTo(3);
        assertThat(programme.getDouble("redemptionRate")).isBetween(0.0, 1.0);
        assertThat(programme.getList("communities.communityId")).contains(community);
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/communities/metrics?days=0").then().statusCode(400);
        given().auth().oauth2(TestTokens.member(poster)).get("/api/communities/metrics").then().statusCode(403);

        await().atMost(Fixtures.WAIT).until(() -> given().get("/q/metrics").asString()
                .contains("custops_community_active_share_by_community{community=\"" + community + "\"} 0.6667"));
        assertThat(given().get("/q/metrics").asString()).contains("custops_loyalty_redemption_rate").contains("custops_referral_rate");
    }
}
