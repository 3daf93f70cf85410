package io.custops.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.local.testing.KafkaTestClient;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
class MergeTest {

    private static String interaction(String eventId, String identifiers) {
        return """
                {"eventId":"%s","type":"InteractionRecorded","identifiers":[%s],"occurredAt":"2026-11-20T10:00:00Z",
                 "source":"app","data":{"interactionType":"app_open"}}""".formatted(eventId, identifiers);
    }

    private static String ingest(String event) {
        Response response = given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body(Fixtures.batch(event)).post("/api/events");
        response.then().statusCode(200).body("accepted", equalTo(1));
        return response.path("results[0].customerId");
    }

    private static String identify(String identifiers) {
        return given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{\"identifiers\":[" + identifiers + "],\"source\":\"app\"}").post("/api/profiles/identify")
                .then().statusCode(200).extract().path("customerId");
    }

    private static List<ConsumerRecord<String, String>> events(EventType type, String key, int atMost) {
        return KafkaTestClient.read(Topics.PROFILE, r -> key.equals(r.key()) && type.type().equals(KafkaTestClient.header(r, "ce_type")),
                atMost, Duration.ofSeconds(8));
    }

    @Test
    void identifiersLinkedLaterMergeTwoProfilesOnceAndASplitUndoesIt() {
        String run = UUID.randomUUID().toString();
        String email = "{\"type\":\"email\",\"value\":\"m-" + run + "@example.com\"}";
        String phone = "{\"type\":\"phone\",\"value\":\"+4930" + String.format("%07d", Math.abs(run.hashCode() % 10_000_000)) + "\"}";
        String first = ingest(interaction("a-" + run, email));
        String second = ingest(interaction("b-" + run, phone));
        assertThat(first).isNotEqualTo(second);

        // one event carrying both: they are one person; the e-mail (more trusted) holder survives
        String survivor = ingest(interaction("c-" + run, email + "," + phone));
        assertThat(survivor).isEqualTo(first);
        ingest(interaction("d-" + run, email + "," + phone)); // linked already: no second merge
        assertThat(identify(phone)).isEqualTo(first);
        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + second).then().statusCode(404)
                .body("detail", containsString("merged into " + first));
        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + first + "/export").then()
                .body("activities", hasSize(4));

        List<ConsumerRecord<String, String>> merged = events(EventType.PROFILES_MERGED, second, 2);
        assertThat(merged).hasSize(1);
        assertThat(EventSchemas.violations(EventType.PROFILES_MERGED.type(), merged.get(0).value())).isEmpty();
        assertThat(merged.get(0).value()).contains("\"survivorId\":\"" + first + "\"");

        // an event addressed to the retired id follows the merge
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON).body(Fixtures.batch("""
                {"eventId":"e-%s","type":"InteractionRecorded","customerId":"%s","occurredAt":"2026-11-20T10:00:00Z",
                 "source":"app","data":{"interactionType":"login"}}""".formatted(run, second)))
                .post("/api/events").then().statusCode(200).body("results[0].customerId", equalTo(first));

        String mergeId = given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + first + "/lineage")
                .then().statusCode(200).body("", hasSize(1)).body("[0].mergedId", equalTo(second))
                .body("[0].reason", containsString("identifier phone shared")).extract().path("[0].id");
        given().auth().oauth2(TestTokens.bearer("marketer")).get("/api/profiles/" + first + "/lineage").then().statusCode(403);

        given().auth().oauth2(TestTokens.bearer("admin")).post("/api/profiles/merges/" + mergeId + "/split").then()
                .statusCode(200).body("restoredId", equalTo(second));
        given().auth().oauth2(TestTokens.bearer("admin")).post("/api/profiles/merges/" + mergeId + "/split").then()
                .statusCode(409);
        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + second).then().statusCode(200);
        assertThat(identify(phone)).isEqualTo(second);
        assertThat(identify(email)).isEqualTo(first);
        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + second + "/export").then()
                .body("activities", hasSize(1));
        List<ConsumerRecord<String, String>> split = events(EventType.PROFILE_SPLIT, second, 1);
        assertThat(split).hasSize(1);
        assertThat(EventSchemas.violations(EventType.PROFILE_SPLIT.type(), split.get(0).value())).isEmpty();
        given().auth().oauth2(TestTokens.bearer("admin")).queryParam("action", "profile.merge")
                .queryParam("customerId", first).get("/api/profiles/audit-log").then().body("", hasSize(1));
    }

    @Test
    void aProfileAbsorbsAtMostTheMergeCapAndFurtherLinksAreReportedAsConflicts() {
        String run = UUID.randomUUID().toString();
        String survivorEmail = "{\"type\":\"email\",\"value\":\"cap-" + run + "@example.com\"}";
        String survivor = identify(survivorEmail);
        int cap = 10; // custops.identity.max-merges-per-profile
        for (int i = 0; i <= cap; i++) {
            String device = "{\"type\":\"device_id\",\"value\":\"cap-" + run + "-" + i + "\"}";
            String prospect = identify(device);
            var linked = given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                    .body("{\"identifiers\":[" + survivorEmail + "," + device + "],\"source\":\"app\"}")
                    .post("/api/profiles/identify").then().statusCode(200).body("customerId", equalTo(survivor));
            if (i < cap) {
                linked.body("merged", hasItem(prospect));
            } else { // the cap is reached: no merge, the device id stays with its own profile, the conflict is reported
                linked.body("merged", empty()).body("ignored.type", hasItem("device_id"));
                assertThat(identify(device)).isEqualTo(prospect);
            }
        }
        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + survivor + "/lineage").then()
                .statusCode(200).body("size()", equalTo(cap));
    }

    @Test
    void blockedIdentifierValuesNeverMergeAnyone() {
        String run = UUID.randomUUID().toString();
        String a = ingest(interaction("x-" + run, "{\"type\":\"email\",\"value\":\"x-" + run + "@example.com\"},"
                + "{\"type\":\"device_id\",\"value\":\"anonymous\"},{\"type\":\"member_card\",\"value\":\"-1\"}"));
        String b = ingest(interaction("y-" + run, "{\"type\":\"email\",\"value\":\"y-" + run + "@example.com\"},"
                + "{\"type\":\"device_id\",\"value\":\"Anonymous\"},{\"type\":\"member_card\",\"value\":\"-1\"}"));
        assertThat(a).isNotEqualTo(b);
        assertThat(events(EventType.PROFILES_MERGED, a, 1)).isEmpty();
        assertThat(events(EventType.PROFILES_MERGED, b, 1)).isEmpty();
    }

    @Test
    void unknownMergesAre404() {
        given().auth().oauth2(TestTokens.bearer("admin")).post("/api/profiles/merges/" + UUID.randomUUID() + "/split")
                .then().statusCode(404).contentType("application/problem+json");
    }
}
