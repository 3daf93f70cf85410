package io.custops.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.local.testing.CustopsTestInfra;
import io.custops.local.testing.KafkaTestClient;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class PrivacyTest {

    private static void feedback(UUID id) {
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON).body(Fixtures.batch("""
                {"eventId":"fb-%1$s","type":"FeedbackSubmitted","customerId":"%1$s","occurredAt":"2026-11-21T12:00:00Z","source":"survey",
                 "data":{"feedbackId":"F-%1$s","kind":"csat","score":2,"comment":"My neighbour Jane Doe says hi"}}""".formatted(id)))
                .post("/api/events").then().statusCode(200).body("accepted", equalTo(1));
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{\"consents\":[{\"channel\":\"email\",\"purpose\":\"marketing\",\"status\":\"granted\",\"proof\":\"ip 198.51.100.9\"}]}")
                .put("/api/profiles/" + id + "/consents").then().statusCode(200);
    }

    @Test
    void exportHoldsEverythingAndIsAudited() {
        UUID id = Fixtures.registerCustomer();
        feedback(id);
        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + id + "/export").then().statusCode(200)
                .body("profile.firstName", equalTo("Ada"))
                .body("profile.email", org.hamcrest.Matchers.startsWith("c-"))
                .body("consentHistory[0].proof", equalTo("ip 198.51.100.9"))
                .body("activities", hasSize(1)).body("activities[0].comment", equalTo("My neighbour Jane Doe says hi"))
                .body("activities[0].data.score", equalTo(2)).body("activitiesTruncated", equalTo(false));
        given().auth().oauth2(TestTokens.member(id)).get("/api/profiles/" + id + "/export").then().statusCode(200);
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).get("/api/profiles/" + id + "/export").then().statusCode(404);
        given().auth().oauth2(TestTokens.bearer("marketer")).get("/api/profiles/" + id + "/export").then().statusCode(403);

        given().auth().oauth2(TestTokens.bearer("admin")).queryParam("customerId", id.toString()).get("/api/profiles/audit-log")
                .then().statusCode(200).body("action", hasItem("profile.export")).body("actor", hasItem("admin-user"));
    }

    @Test
    void unmaskedReadsByStaffAreAuditedMaskedOnesAreNot() {
        UUID id = Fixtures.registerCustomer();
        given().auth().oauth2(TestTokens.bearer("marketer")).get("/api/profiles/" + id).then().statusCode(200);
        given().auth().oauth2(TestTokens.bearer("admin")).queryParam("customerId", id.toString()).get("/api/profiles/audit-log")
                .then().statusCode(200).body("", hasSize(0));
        given().auth().oauth2(TestTokens.bearer("pii-reader")).get("/api/profiles/" + id).then().statusCode(200);
        given().auth().oauth2(TestTokens.bearer("admin")).queryParam("customerId", id.toString())
                .queryParam("action", "pii.read").get("/api/profiles/audit-log")
                .then().statusCode(200).body("", hasSize(1)).body("[0].actor", equalTo("pii-reader-user"));
        given().auth().oauth2(TestTokens.bearer("pii-reader")).get("/api/profiles/audit-log").then().statusCode(403);
    }

    @Test
    void erasureRemovesThePersonEverywhereHereAndTellsTheOtherServices() throws SQLException {
        UUID id = Fixtures.registerCustomer();
        feedback(id);
        String email = given().auth().oauth2(TestTokens.bearer("pii-reader")).get("/api/profiles/" + id).then()
                .extract().path("email");

        given().auth().oauth2(TestTokens.bearer("marketer")).delete("/api/profiles/" + id).then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("admin")).delete("/api/profiles/" + id).then().statusCode(204);
        given().auth().oauth2(TestTokens.bearer("admin")).delete("/api/profiles/" + id).then().statusCode(204);
        given().auth().oauth2(TestTokens.bearer("admin")).delete("/api/profiles/" + UUID.randomUUID()).then().statusCode(404);

        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + id).then().statusCode(404);
        given().auth().oauth2(TestTokens.bearer("admin")).queryParam("identifier", "email:" + email).get("/api/profiles")
                .then().body("items", hasSize(0));
        assertThat(count("SELECT count(*) FROM profile_identifier WHERE customer_id = ?", id)).isZero();
        assertThat(count("SELECT count(*) FROM consent WHERE customer_id = ?", id)).isZero();
        assertThat(count("SELECT count(*) FROM activity_event WHERE customer_id = ? AND comment IS NOT NULL", id)).isZero();
        assertThat(count("SELECT count(*) FROM consent_history WHERE customer_id = ? AND proof IS NOT NULL", id)).isZero();

        List<ConsumerRecord<String, String>> erased = KafkaTestClient.read(Topics.PROFILE, r -> id.toString().equals(r.key())
                && EventType.PROFILE_ERASED.type().equals(KafkaTestClient.header(r, "ce_type")), 2, Duration.ofSeconds(8));
        assertThat(erased).hasSize(1);
        assertThat(EventSchemas.violations(EventType.PROFILE_ERASED.type(), erased.get(0).value())).isEmpty();
        given().auth().oauth2(TestTokens.bearer("admin")).queryParam("customerId", id.toString())
                .queryParam("action", "profile.erase").get("/api/profiles/audit-log").then().body("", hasSize(1));
        // the same identifier later is a new person
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{\"identifiers\":[{\"type\":\"email\",\"value\":\"" + email + "\"}],\"source\":\"crm\"}")
                .post("/api/profiles/identify").then().statusCode(200).body("created", equalTo(true));
    }

    private static long count(String sql, UUID id) throws SQLException {
        try (Connection c = DriverManager.getConnection(System.getProperty(CustopsTestInfra.JDBC_PROPERTY), "custops", "custops");
                var statement = c.prepareStatement(sql)) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
