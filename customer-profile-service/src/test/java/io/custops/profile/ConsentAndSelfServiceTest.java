package io.custops.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
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

@QuarkusTest
class ConsentAndSelfServiceTest {

    private static final String GRANT_EMAIL_MARKETING = """
            {"consents":[{"channel":"email","purpose":"marketing","status":"granted","source":"crm","proof":"double opt-in 2026-11-20 ip 203.0.113.7"}]}""";

    @Test
    void consentsAreRecordedWithHistoryAndPublishedOncePerChange() {
        UUID id = Fixtures.registerCustomer();
        given().auth().oauth2(TestTokens.bearer("marketer")).get("/api/profiles/" + id + "/consents").then().statusCode(200)
                .body("", hasSize(12)).body("status", org.hamcrest.Matchers.everyItem(equalTo("unknown")));

        for (int i = 0; i < 2; i++) { // the second time is the status already in force: no change, no event
            given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON).body(GRANT_EMAIL_MARKETING)
                    .put("/api/profiles/" + id + "/consents").then().statusCode(200)
                    .body("find { it.channel == 'email' && it.purpose == 'marketing' }.status", equalTo("granted"));
        }
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{\"consents\":[{\"channel\":\"email\",\"purpose\":\"marketing\",\"status\":\"withdrawn\",\"source\":\"unsubscribe-link\"}]}")
                .put("/api/profiles/" + id + "/consents").then().statusCode(200);

        given().auth().oauth2(TestTokens.bearer("marketer")).get("/api/profiles/" + id + "/consents").then()
                .body("find { it.channel == 'email' && it.purpose == 'marketing' }.status", equalTo("withdrawn"))
                .body("find { it.channel == 'email' && it.purpose == 'marketing' }.source", equalTo("unsubscribe-link"));
        given().auth().oauth2(TestTokens.bearer("pii-reader")).get("/api/profiles/" + id + "/consents/history").then()
                .statusCode(200).body("", hasSize(2)).body("[0].status", equalTo("withdrawn"))
                .body("[1].proof", equalTo("double opt-in 2026-11-20 ip 203.0.113.7"))
                .body("[1].recordedBy", equalTo("integrator-user"));
        given().auth().oauth2(TestTokens.bearer("marketer")).get("/api/profiles/" + id + "/consents/history").then().statusCode(403);

        List<ConsentRecord> events = KafkaTestClient.read(Topics.PROFILE, r -> id.toString().equals(r.key())
                && EventType.CONSENT_CHANGED.type().equals(KafkaTestClient.header(r, "ce_type")), 3, Duration.ofSeconds(8))
                .stream().map(ConsentRecord::new).toList();
        assertThat(events).hasSize(2);
        assertThat(events.get(0).value).contains("\"status\":\"granted\"").doesNotContain("203.0.113.7");
        assertThat(events.get(1).value).contains("\"status\":\"withdrawn\"");
        events.forEach(e -> assertThat(EventSchemas.violations(EventType.CONSENT_CHANGED.type(), e.value)).isEmpty());
    }

    private record ConsentRecord(String value) {
        ConsentRecord(ConsumerRecord<String, String> record) {
            this(record.value());
        }
    }

    @Test
    void aOneClickUnsubscribeInCampaignServiceBecomesAConsentWithdrawalHere() {
        UUID id = Fixtures.registerCustomer();
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON).body(GRANT_EMAIL_MARKETING)
                .put("/api/profiles/" + id + "/consents").then().statusCode(200);
        UUID message = UUID.randomUUID();
        io.custops.local.testing.KafkaTestClient.send(io.custops.events.Topics.CAMPAIGN, id.toString(), """
                {"customerId":"%s","messageId":"%s","channel":"email","purpose":"marketing","source":"unsubscribe-link","unsubscribedAt":"%s"}
                """.formatted(id, message, java.time.Instant.now()), io.custops.local.testing.KafkaTestClient.cloudEventHeaders(
                UUID.randomUUID().toString(), io.custops.events.EventType.UNSUBSCRIBED.type(), id));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> given()
                .auth().oauth2(TestTokens.bearer("pii-reader")).get("/api/profiles/" + id + "/consents").then()
                .body("find { it.channel == 'email' && it.purpose == 'marketing' }.status", equalTo("withdrawn"))
                .body("find { it.channel == 'email' && it.purpose == 'marketing' }.source", equalTo("unsubscribe-link"))
                .body("find { it.channel == 'email' && it.purpose == 'marketing' }.proof", equalTo("message " + message)));
        // an unsubscribe for a customer this service does not know is skipped, not dead-lettered
        UUID unknown = UUID.randomUUID();
        io.custops.local.testing.KafkaTestClient.send(io.custops.events.Topics.CAMPAIGN, unknown.toString(), """
                {"customerId":"%s","messageId":null,"channel":"sms","purpose":"marketing","source":"unsubscribe-link","unsubscribedAt":"%s"}
                """.formatted(unknown, java.time.Instant.now()), io.custops.local.testing.KafkaTestClient.cloudEventHeaders(
                UUID.randomUUID().toString(), io.custops.events.EventType.UNSUBSCRIBED.type(), unknown));
        org.assertj.core.api.Assertions.assertThat(io.custops.local.testing.KafkaTestClient.read(io.custops.events.Topics.CAMPAIGN + ".dlq",
                r -> unknown.toString().equals(r.key()), 1, java.time.Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void invalidConsentsAre400AndUnknownCustomers404() {
        UUID id = Fixtures.registerCustomer();
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{\"consents\":[{\"channel\":\"fax\",\"purpose\":\"spam\",\"status\":\"maybe\"}]}")
                .put("/api/profiles/" + id + "/consents").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(org.hamcrest.Matchers.containsString("channel")));
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON).body(GRANT_EMAIL_MARKETING)
                .put("/api/profiles/" + UUID.randomUUID() + "/consents").then().statusCode(404);
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON).body(GRANT_EMAIL_MARKETING)
                .put("/api/profiles/" + id + "/consents").then().statusCode(403);
    }

    @Test
    void aMemberManagesTheirOwnProfileAndConsentsAndNobodyElses() {
        UUID me = Fixtures.registerCustomer();
        UUID other = Fixtures.registerCustomer();
        String token = TestTokens.member(me);

        String etag = given().auth().oauth2(token).get("/api/profiles/me").then().statusCode(200)
                .body("id", equalTo(me.toString())).body("firstName", equalTo("Ada")).extract().header("ETag");
        given().auth().oauth2(token).contentType("application/merge-patch+json").header("If-Match", etag)
                .body("{\"firstName\":\"Ada M.\",\"timeZone\":\"Europe/London\"}")
                .patch("/api/profiles/me").then().statusCode(200).body("firstName", equalTo("Ada M."));
        // business data is not the member's to change
        given().auth().oauth2(token).contentType("application/merge-patch+json").header("If-Match", "\"1\"")
                .body("{\"region\":\"VIP\"}").patch("/api/profiles/me").then().statusCode(400)
                .body("errors.field", hasItem("region"));

        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"consents\":[{\"channel\":\"sms\",\"purpose\":\"marketing\",\"status\":\"granted\",\"source\":\"crm\"}]}")
                .put("/api/profiles/me/consents").then().statusCode(200)
                .body("find { it.channel == 'sms' && it.purpose == 'marketing' }.source", equalTo("member-self-service"));
        given().auth().oauth2(token).get("/api/profiles/me/consents/history").then().statusCode(200).body("", hasSize(1));

        // another member's data: refused without revealing whether it exists
        given().auth().oauth2(token).get("/api/profiles/" + other).then().statusCode(404);
        given().auth().oauth2(token).get("/api/profiles/" + other + "/consents").then().statusCode(404);
        given().auth().oauth2(token).get("/api/profiles/" + UUID.randomUUID() + "/consents").then().statusCode(404);
        given().auth().oauth2(token).get("/api/profiles/" + other + "/consents/history").then().statusCode(404);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(GRANT_EMAIL_MARKETING)
                .put("/api/profiles/" + other + "/consents").then().statusCode(403);
        given().auth().oauth2(token).contentType("application/merge-patch+json").header("If-Match", "\"0\"")
                .body("{\"firstName\":\"X\"}").patch("/api/profiles/" + other).then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("pii-reader")).get("/api/profiles/" + other).then().body("firstName", equalTo("Ada"));

        // staff have no "me", and a member token without a customer is refused
        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/me").then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("member")).get("/api/profiles/me").then().statusCode(403);
    }
}
