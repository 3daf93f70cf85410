package io.custops.campaign;

import static io.custops.campaign.Fixtures.customer;
import static io.custops.campaign.Fixtures.grant;
import static io.custops.campaign.Fixtures.inbox;
import static io.custops.campaign.Fixtures.template;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Broadcasts to a segment: audience snapshot, throttling, pause / resume / cancel, statistics and conversions. */
@QuarkusTest
class CampaignTest {
    private static final String NOON = SafeguardTest.zoneWhereItIsNow(12);
    private final String marketer = TestTokens.bearer("marketer");

    @Test
    void aBroadcastReachesTheSegmentsCurrentMembersOnceEachThroughTheSafeguards() throws Exception {
        UUID segment = UUID.randomUUID();
        List<UUID> members = List.of(customer(NOON), customer(NOON), customer(NOON));
        for (UUID member : members) {
            grant(member, "email", "marketing");
            Fixtures.segment(segment, member, true);
        }
        UUID left = customer(NOON);
        grant(left, "email", "marketing");
        Fixtures.segment(segment, left, true);
        Fixtures.segment(segment, left, false);
        UUID unconsented = customer(NOON);
        Fixtures.segment(segment, unconsented, true);
        Fixtures.awaitMembers(segment, 4);

        String template = template("email", "marketing", "Spring sale", "<p>{customer.firstName}: {data.code}</p>");
        String campaign = create(template, segment, 600);
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{}").post("/api/campaigns/" + campaign + "/schedule")
                .then().statusCode(200).body("status", equalTo("scheduled"));
        JsonPath done = awaitStatus(campaign, "completed");
        assertThat(done.getLong("audience")).isEqualTo(4);
        assertThat(done.getLong("statistics.sent")).isEqualTo(3);
        assertThat(done.getLong("statistics.suppressed.no-consent")).isEqualTo(1);
        for (UUID member : members) {
            assertThat(inbox("c-" + member + "@example.com")).singleElement()
                    .satisfies(m -> assertThat((String) m.getContent()).contains("Ada: SPRING"));
        }
        assertThat(inbox("c-" + left + "@example.com")).isEmpty();

        // a campaign is sent once: rescheduling a completed one is refused
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{}").post("/api/campaigns/" + campaign + "/schedule")
                .then().statusCode(409).contentType("application/problem+json");
        List<ConsumerRecord<String, String>> sent = Fixtures.events(EventType.MESSAGE_SENT, members.get(0), 1);
        assertThat(sent.get(0).value()).contains(campaign);
    }

    @Test
    void aThrottledCampaignPausesResumesAndCancelsItsWaitingMessages() throws Exception {
        UUID segment = UUID.randomUUID();
        List<UUID> members = List.of(customer(NOON), customer(NOON), customer(NOON));
        for (UUID member : members) {
            grant(member, "email", "marketing");
            Fixtures.segment(segment, member, true);
        }
        Fixtures.awaitMembers(segment, 3);
        String campaign = create(template("email", "marketing", "Slow", "<p>one a minute</p>"), segment, 1);
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{}").post("/api/campaigns/" + campaign + "/schedule")
                .then().statusCode(200);
        // one a minute: the first goes at once, the others wait their turn
        await().atMost(Fixtures.WAIT).until(() -> stats(campaign).getLong("statistics.sent") == 1);
        JsonPath sending = stats(campaign);
        assertThat(sending.getString("status")).isEqualTo("sending");
        assertThat(sending.getLong("statistics.queued")).isEqualTo(2);

        given().auth().oauth2(marketer).post("/api/campaigns/" + campaign + "/pause").then().statusCode(200).body("status", equalTo("paused"));
        assertThat(Fixtures.sql("SELECT count(*) FROM message WHERE campaign_id = ? AND status = 'queued' AND not_before = 'infinity'",
                UUID.fromString(campaign))).isEqualTo("2");
        given().auth().oauth2(marketer).post("/api/campaigns/" + campaign + "/pause").then().statusCode(409);

        given().auth().oauth2(marketer).post("/api/campaigns/" + campaign + "/resume").then().statusCode(200).body("status", equalTo("sending"));
        await().atMost(Fixtures.WAIT).until(() -> stats(campaign).getLong("statistics.sent") == 2);
        String next = Fixtures.sql("SELECT not_before FROM message WHERE campaign_id = ? AND status = 'queued'", UUID.fromString(campaign));
        assertThat(next).isNotNull();

        given().auth().oauth2(marketer).post("/api/campaigns/" + campaign + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled")).body("statistics.cancelled", equalTo(1)).body("statistics.sent", equalTo(2));
        given().auth().oauth2(marketer).post("/api/campaigns/" + campaign + "/resume").then().statusCode(409);
    }

    @Test
    void anOrderAfterAnOpenConvertsTheMessageOnceWithItsRevenue() throws Exception {
        UUID segment = UUID.randomUUID();
        UUID buyer = customer(NOON);
        grant(buyer, "email", "marketing");
        Fixtures.segment(segment, buyer, true);
        Fixtures.awaitMembers(segment, 1);
        String campaign = create(template("email", "marketing", "New in", "<p>Look</p>"), segment, 600);
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{}").post("/api/campaigns/" + campaign + "/schedule")
                .then().statusCode(200);
        awaitStatus(campaign, "completed");
        String body = (String) inbox("c-" + buyer + "@example.com").get(0).getContent();
        String pixel = body.substring(body.indexOf("/t/o/"), body.indexOf('"', body.indexOf("/t/o/")));
        given().get(pixel).then().statusCode(200);

        String orderId = "ORD-" + UUID.randomUUID();
        Fixtures.order(buyer, orderId, "129.90");
        await().atMost(Fixtures.WAIT).until(() -> stats(campaign).getLong("statistics.converted") == 1);
        JsonPath converted = stats(campaign);
        assertThat(converted.getString("statistics.revenue.EUR")).isEqualTo("129.9");
        ConsumerRecord<String, String> event = Fixtures.exactlyOne(EventType.CONVERTED, buyer);
        assertThat(EventSchemas.violations(EventType.CONVERTED.type(), event.value())).isEmpty();
        assertThat(event.value()).contains(orderId).contains("\"touch\":\"open\"");

        // the same order again (a resent event) converts nothing more
        Fixtures.order(buyer, orderId, "129.90");
        Fixtures.order(buyer, "ORD-unrelated-" + UUID.randomUUID(), "10.00"); // the message is converted already
        await().during(java.time.Duration.ofSeconds(2)).atMost(Fixtures.WAIT)
                .until(() -> stats(campaign).getLong("statistics.converted") == 1);
    }

    @Test
    void aFutureCampaignWaitsAndBadRequestsAndRolesAreRefused() {
        UUID segment = UUID.randomUUID();
        String template = template("email", "marketing", "Later", "<p>later</p>");
        String campaign = create(template, segment, 600);
        String later = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{\"sendAt\":\"" + later + "\"}")
                .post("/api/campaigns/" + campaign + "/schedule").then().statusCode(200).body("status", equalTo("scheduled"))
                .body("sendAt", equalTo(later));
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/campaigns?status=scheduled").then().statusCode(200)
                .body("id", hasItem(campaign));

        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{\"name\":\"\",\"ratePerMinute\":0}")
                .post("/api/campaigns").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItems("name", "templateId", "segmentId", "ratePerMinute"));
        given().auth().oauth2(TestTokens.bearer("analyst")).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"templateId\":\"" + template + "\",\"segmentId\":\"" + segment + "\"}")
                .post("/api/campaigns").then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("analyst")).post("/api/campaigns/" + campaign + "/cancel").then().statusCode(403);
        given().auth().oauth2(marketer).get("/api/campaigns/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(marketer).post("/api/campaigns/" + campaign + "/cancel").then().statusCode(200).body("status", equalTo("cancelled"));
    }

    private String create(String template, UUID segment, int rate) {
        return given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"c-%s","templateId":"%s","segmentId":"%s","data":{"code":"SPRING"},"ratePerMinute":%d}
                """.formatted(UUID.randomUUID(), template, segment, rate)).post("/api/campaigns").then().statusCode(201)
                .body("status", equalTo("draft")).extract().path("id");
    }

    private JsonPath stats(String campaign) {
        return given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/campaigns/" + campaign).then().statusCode(200)
                .extract().jsonPath();
    }

    private JsonPath awaitStatus(String campaign, String status) {
        await().atMost(Fixtures.WAIT).until(() -> status.equals(stats(campaign).getString("status")));
        return stats(campaign);
    }
}
