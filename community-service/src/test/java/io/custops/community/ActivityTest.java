package io.custops.community;

import static io.custops.community.Fixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.local.testing.TestSql;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Activities with capacity, waitlist and check-in; daily check-in streaks; challenges and their rewards. */
@QuarkusTest
class ActivityTest {

    @Test
    void seatsGoFirstComeFirstServedAndAFreedSeatGoesToTheWaitlist() {
        String activity = activity(null, 2);
        String code = given().auth().oauth2(MANAGER).get("/api/activities/" + activity).then().statusCode(200)
                .body("checkInCode", org.hamcrest.Matchers.notNullValue()).extract().path("checkInCode");
        List<UUID> members = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        as(members.get(0)).get("/api/activities/" + activity).then().statusCode(200).body("checkInCode", nullValue());
        register(members.get(0), activity).body("status", equalTo("registered"));
        register(members.get(1), activity).body("status", equalTo("registered"));
        register(members.get(2), activity).body("status", equalTo("waitlisted")).body("waitlistPosition", equalTo(1));
        register(members.get(3), activity).body("status", equalTo("waitlisted")).body("waitlistPosition", equalTo(2));
        register(members.get(0), activity).body("status", equalTo("registered")); // again: nothing changes

        as(members.get(0)).delete("/api/activities/" + activity + "/registrations/me").then().statusCode(200).body("status", equalTo("cancelled"));
        as(members.get(2)).get("/api/activities/me").then().body("find { it.activityId == '" + activity + "' }.status", equalTo("registered"));
        given().auth().oauth2(MANAGER).get("/api/activities/" + activity + "/attendance").then().statusCode(200)
                .body("find { it.customerId == '" + members.get(3) + "' }.waitlistPosition", equalTo(1));

        checkIn(members.get(2), activity, "WRONG1").statusCode(400);
        checkIn(members.get(2), activity, code.toLowerCase()).statusCode(200).body("status", equalTo("attended"))
                .body("checkInMethod", equalTo("code"));
        checkIn(members.get(3), activity, code).statusCode(409); // waitlisted: no seat
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"customerId\":\"" + members.get(3) + "\"}")
                .post("/api/activities/" + activity + "/attendance").then().statusCode(200).body("checkInMethod", equalTo("staff"));
        ConsumerRecord<String, String> checkedIn = Fixtures.events(EventType.ACTIVITY_CHECKED_IN, members.get(2), 1).get(0);
        assertThat(EventSchemas.violations(EventType.ACTIVITY_CHECKED_IN.type(), checkedIn.value())).isEmpty();
        assertThat(checkedIn.value()).contains("\"format\":\"offline\"").contains("\"method\":\"code\"");
        given().auth().oauth2(MANAGER).get("/api/activities/" + activity).then().body("attended", equalTo(2)).body("registered", equalTo(3));
    }

    @Test
    void simultaneousRegistrationsNeverOversellTheLastSeat() {
        String activity = activity(null, 1);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID member = UUID.randomUUID();
            calls.add(CompletableFuture.supplyAsync(() -> register(member, activity).extract().path("status")));
        }
        List<String> statuses = calls.stream().map(CompletableFuture::join).toList();
        assertThat(statuses).containsExactlyInAnyOrder("registered", "waitlisted", "waitlisted");
    }

    @Test
    void activitiesOfACommunityAreForItsMembersAndAreValidated() {
        String community = given().auth().oauth2(MANAGER).contentType(ContentType.JSON)
                .body("{\"name\":\"Salon " + UUID.randomUUID() + "\",\"kind\":\"industry-knowledge\"}").post("/api/communities").then()
                .statusCode(201).extract().path("id");
        String activity = activity(community, 10);
        UUID outsider = UUID.randomUUID();
        register(outsider, activity).statusCode(403);
        as(outsider).post("/api/communities/" + community + "/join").then().statusCode(200);
        register(outsider, activity).statusCode(201);
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                {"title":"","format":"offline","kind":"party","startsAt":"2027-01-01T10:00:00Z","endsAt":"2027-01-01T09:00:00Z","capacity":0}""")
                .post("/api/activities").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("title", "kind", "location", "endsAt", "capacity"));
        as(outsider).contentType(ContentType.JSON).body("{}").post("/api/activities").then().statusCode(403);
    }

    @Test
    void aStreakOfDailyCheckInsCompletesItsChallengeOnceWithItsReward() {
        String challenge = given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                {"name":"Three days in a row %s","kind":"daily-check-in-streak","target":3,"bonusPoints":70}""".formatted(UUID.randomUUID()))
                .post("/api/activities/challenges").then().statusCode(201).extract().path("id");
        UUID member = UUID.randomUUID();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        as(member).post("/api/activities/check-ins").then().statusCode(200).body("streak", equalTo(1));
        // as if the member had checked in on the two days before
        TestSql.update("UPDATE member_streak SET current = 2, longest = 2, last_day = ? WHERE customer_id = ?", today.minusDays(1), member);
        TestSql.update("DELETE FROM daily_check_in WHERE customer_id = ?", member);
        as(member).post("/api/activities/check-ins").then().statusCode(200).body("streak", equalTo(3)).body("alreadyCheckedIn", equalTo(false));
        as(member).post("/api/activities/check-ins").then().statusCode(200).body("streak", equalTo(3)).body("alreadyCheckedIn", equalTo(true));
        ConsumerRecord<String, String> completed = Fixtures.events(EventType.CHALLENGE_COMPLETED, member, 1).get(0);
        assertThat(EventSchemas.violations(EventType.CHALLENGE_COMPLETED.type(), completed.value())).isEmpty();
        assertThat(completed.value()).contains(challenge).contains("\"rewardPoints\":70");
        assertThat(Fixtures.balance(member).getLong("available")).isEqualTo(70);
        as(member).get("/api/activities/me/challenges").then().statusCode(200)
                .body("find { it.challengeId == '" + challenge + "' }.completed", equalTo(true))
                .body("find { it.challengeId == '" + challenge + "' }.progress", equalTo(3));
        Fixtures.exactly(EventType.CHALLENGE_COMPLETED, member, 1);
    }

    @Test
    void postsInAMonthAndAttendedActivitiesCompleteTheirChallenges() {
        String community = given().auth().oauth2(MANAGER).contentType(ContentType.JSON)
                .body("{\"name\":\"Writers " + UUID.randomUUID() + "\",\"kind\":\"lifestyle\"}").post("/api/communities").then()
                .statusCode(201).extract().path("id");
        String posting = given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                {"communityId":"%s","name":"Two posts a month","kind":"posts-in-period","target":2,"period":"month","bonusPoints":20}"""
                .formatted(community)).post("/api/activities/challenges").then().statusCode(201).extract().path("id");
        String attending = given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                {"communityId":"%s","name":"Come to a salon","kind":"activities-attended","target":1,"bonusPoints":15}"""
                .formatted(community)).post("/api/activities/challenges").then().statusCode(201).extract().path("id");
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"name\":\"x\",\"kind\":\"posts-in-period\",\"target\":0}")
                .post("/api/activities/challenges").then().statusCode(400).body("errors.field", hasItems("target", "period"));

        UUID member = UUID.randomUUID();
        as(member).post("/api/communities/" + community + "/join").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            as(member).contentType(ContentType.JSON).body("{\"body\":\"Post " + i + "\"}").post("/api/communities/" + community + "/posts")
                    .then().statusCode(201);
        }
        String activity = activity(community, 5);
        register(member, activity).statusCode(201);
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"customerId\":\"" + member + "\"}")
                .post("/api/activities/" + activity + "/attendance").then().statusCode(200);
        List<ConsumerRecord<String, String>> completed = Fixtures.events(EventType.CHALLENGE_COMPLETED, member, 2);
        assertThat(completed).hasSize(2);
        assertThat(completed.stream().map(ConsumerRecord::value).toList()).anySatisfy(v -> assertThat(v).contains(posting))
                .anySatisfy(v -> assertThat(v).contains(attending));
        assertThat(TestSql.value("SELECT count(*) FROM challenge_completion WHERE customer_id = ?", member)).isEqualTo("2");
        assertThat(Fixtures.balance(member).getLong("available")).isGreaterThanOrEqualTo(35);
    }

    private static RequestSpecification as(UUID member) {
        return given().auth().oauth2(TestTokens.member(member));
    }

    private static io.restassured.response.ValidatableResponse register(UUID member, String activity) {
        return as(member).post("/api/activities/" + activity + "/registrations").then();
    }

    private static io.restassured.response.ValidatableResponse checkIn(UUID member, String activity, String code) {
        return as(member).contentType(ContentType.JSON).body("{\"code\":\"" + code + "\"}").post("/api/activities/" + activity + "/check-in").then();
    }

    /** An offline salon starting in half an hour (check-in is open), for the community's members when one is given. */
    private static String activity(String community, int capacity) {
        Instant starts = Instant.now().plus(Duration.ofMinutes(30));
        return given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                {"communityId":%s,"title":"Tasting salon","format":"offline","kind":"salon","location":"Shop 3, Berlin",
                 "startsAt":"%s","endsAt":"%s","capacity":%d,"registrationClosesAt":"%s"}""".formatted(
                community == null ? "null" : "\"" + community + "\"", starts, starts.plus(Duration.ofHours(2)), capacity,
                starts.plus(Duration.ofMinutes(20))))
                .post("/api/activities").then().statusCode(201).extract().path("id");
    }
}
