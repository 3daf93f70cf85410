package io.custops.campaign;

import static io.custops.campaign.Fixtures.customer;
import static io.custops.campaign.Fixtures.grant;
import static io.custops.campaign.Fixtures.inbox;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Instant;
import java.util.ArrayList;
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
import io.restassured.path.json.JsonPath;

/** A/B tests with hold-outs, deterministic assignment, VariantAssigned, winner promotion, the global control group. */
@QuarkusTest
class ExperimentTest {
    private static final String NOON = SafeguardTest.zoneWhereItIsNow(12);
    private final String marketer = TestTokens.bearer("marketer");

    @Test
    void membersAreAssignedByHashToControlOrAVariantAndGetThatVariantsMessage() throws Exception {
        UUID segment = UUID.randomUUID();
        List<UUID> members = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            UUID member = customer(NOON);
            grant(member, "email", "marketing");
            Fixtures.segment(segment, member, true);
            members.add(member);
        }
        Fixtures.awaitMembers(segment, members.size());
        String a = Fixtures.template("email", "marketing", "Subject A", "<p>a</p>");
        String b = Fixtures.template("email", "marketing", "Subject B", "<p>b</p>");
        String campaign = create(a, segment, """
                "variants":[{"name":"A","templateId":"%s","weight":1},{"name":"B","templateId":"%s","weight":1}],"holdoutPercent":25"""
                .formatted(a, b), 6000);
        schedule(campaign);
        await().atMost(Fixtures.WAIT).until(() -> "completed".equals(stats(campaign).getString("status")));
        JsonPath done = stats(campaign);
        assertThat(done.getList("statistics.variants.variant")).isSubsetOf("A", "B", "control");
        assertThat(done.getList("statistics.variants.assigned", Integer.class).stream().mapToInt(Integer::intValue).sum()).isEqualTo(16);

        for (UUID member : members) {
            String variant = Fixtures.sql("SELECT variant FROM experiment_assignment WHERE experiment_id = ? AND customer_id = ?",
                    UUID.fromString(campaign), member);
            int bucket = Integer.parseInt(Fixtures.sql("SELECT mod(mod(hashtextextended(CAST(? AS text) || CAST(? AS text), 0), 10000) + 10000, 10000)",
                    member.toString(), campaign));
            // control is the hash range 0..2499 (25%), then A and B split the rest by weight
            assertThat(variant).as("bucket " + bucket).isEqualTo(bucket < 2500 ? "control" : bucket < 6250 ? "A" : "B");
            int mails = inbox("c-" + member + "@example.com").size();
            if ("control".equals(variant)) {
                assertThat(mails).isZero();
            } else {
                assertThat(inbox("c-" + member + "@example.com").get(0).getSubject()).isEqualTo("Subject " + variant);
            }
        }
        List<ConsumerRecord<String, String>> assigned = Fixtures.events(EventType.VARIANT_ASSIGNED, members.get(0), 1);
        assertThat(EventSchemas.violations(EventType.VARIANT_ASSIGNED.type(), assigned.get(0).value())).isEmpty();
        assertThat(assigned.get(0).value()).contains(campaign).contains("\"experimentKind\": \"campaign\"");
        // the plan: control 25%, A and B 37.5% each
        assertThat(assigned.get(0).value()).containsAnyOf("\"plannedShare\": 0.2500", "\"plannedShare\": 0.3750");
    }

    @Test
    void aSignificantVerdictPromotesTheWinnerForTheMessagesNotYetSent() throws Exception {
        UUID segment = UUID.randomUUID();
        for (int i = 0; i < 4; i++) {
            UUID member = customer(NOON);
            grant(member, "email", "marketing");
            Fixtures.segment(segment, member, true);
        }
        Fixtures.awaitMembers(segment, 4);
        String a = Fixtures.template("email", "marketing", "Old", "<p>a</p>");
        String b = Fixtures.template("email", "marketing", "New", "<p>b</p>");
        String variants = "\"variants\":[{\"name\":\"A\",\"templateId\":\"%s\"},{\"name\":\"B\",\"templateId\":\"%s\"}]".formatted(a, b);
        String campaign = create(a, segment, variants, 1);
        String other = create(a, segment, variants, 1);
        schedule(campaign);
        schedule(other);
        await().atMost(Fixtures.WAIT).until(() -> stats(campaign).getLong("statistics.sent") == 1 && stats(other).getLong("statistics.sent") == 1);

        verdict(other, "B", false); // not significant: nothing changes
        verdict(campaign, "B", true);
        await().atMost(Fixtures.WAIT).until(() -> "B".equals(stats(campaign).getString("winner")));
        assertThat(Fixtures.sql("SELECT count(*) FROM message WHERE campaign_id = ? AND status = 'queued' AND (variant <> 'B' OR template_id <> ?)",
                UUID.fromString(campaign), UUID.fromString(b))).isEqualTo("0");
        assertThat(Fixtures.sql("SELECT count(*) FROM message WHERE campaign_id = ? AND status = 'queued'", UUID.fromString(campaign))).isEqualTo("3");
        assertThat(stats(other).getString("winner")).isNull();
        given().auth().oauth2(marketer).post("/api/campaigns/" + campaign + "/cancel").then().statusCode(200);
        given().auth().oauth2(marketer).post("/api/campaigns/" + other + "/cancel").then().statusCode(200);
    }

    @Test
    void theGlobalControlGroupGetsNoMarketing() throws Exception {
        String admin = TestTokens.bearer("admin");
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{\"globalControlPercent\":5}")
                .put("/api/campaigns/safeguards/global-control").then().statusCode(403);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"globalControlPercent\":50}")
                .put("/api/campaigns/safeguards/global-control").then().statusCode(400);
        UUID inControl = null;
        UUID outside = null;
        while (inControl == null || outside == null) {
            UUID candidate = UUID.randomUUID();
            int bucket = Integer.parseInt(Fixtures.sql("SELECT mod(mod(hashtextextended(CAST(? AS text) || 'global-control', 0), 10000) + 10000, 10000)",
                    candidate.toString()));
            if (bucket < 2000 && inControl == null) {
                inControl = candidate;
            } else if (bucket >= 2000 && outside == null) {
                outside = candidate;
            }
        }
        for (UUID c : List.of(inControl, outside)) {
            Fixtures.contact(c, "c-" + c + "@example.com", null, null, NOON, "en");
            grant(c, "email", "marketing");
            grant(c, "email", "service");
        }
        String marketing = Fixtures.template("email", "marketing", "Offer", "<p>offer</p>");
        String receipt = Fixtures.template("email", "transactional", "Receipt", "<p>receipt</p>");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"globalControlPercent\":20}")
                .put("/api/campaigns/safeguards/global-control").then().statusCode(200).body("globalControlPercent", equalTo(20));
        try {
            assertThat(Fixtures.awaitStatus(Fixtures.sent(inControl, marketing, "gc-1"), "suppressed").path("reason").asText())
                    .isEqualTo("global-control");
            Fixtures.awaitStatus(Fixtures.sent(outside, marketing, "gc-2"), "sent");
            Fixtures.awaitStatus(Fixtures.sent(inControl, receipt, "gc-3"), "sent");
        } finally {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"globalControlPercent\":0}")
                    .put("/api/campaigns/safeguards/global-control").then().statusCode(200);
        }
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/campaigns/safeguards").then().statusCode(200)
                .body("frequencyCaps.email.max", equalTo(3)).body("quietHours.start", equalTo("21:00"));
    }

    @Test
    void badTestsAreRefusedAndAJourneySplitIsAnExperimentToo() throws Exception {
        String a = Fixtures.template("email", "marketing", "A", "<p>a</p>");
        String sms = Fixtures.template("sms", "marketing", null, "sms");
        UUID segment = UUID.randomUUID();
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"bad-%s","templateId":"%s","segmentId":"%s","variants":[{"name":"control","templateId":"%s"}],"holdoutPercent":80}"""
                .formatted(UUID.randomUUID(), a, segment, a)).post("/api/campaigns").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("variants", "variants[0].name", "holdoutPercent"));
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"mixed-%s","templateId":"%s","segmentId":"%s","variants":[{"name":"A","templateId":"%s"},{"name":"B","templateId":"%s"}]}"""
                .formatted(UUID.randomUUID(), a, segment, a, sms)).post("/api/campaigns").then().statusCode(400)
                .body("errors[0].field", equalTo("variants[1].templateId"));

        String journey = given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"split-%s","definition":{"trigger":{"event":"ProfileRegistered"},"steps":[
                  {"id":"ab","type":"split","branches":[{"weight":1,"next":"one","variant":"one"},{"weight":1,"next":"two","variant":"two"}]},
                  {"id":"one","type":"exit"},{"id":"two","type":"exit"}]}}""".formatted(UUID.randomUUID()))
                .post("/api/journeys").then().statusCode(201).extract().path("id");
        try {
            given().auth().oauth2(marketer).post("/api/journeys/" + journey + "/activate").then().statusCode(200);
            UUID customer = UUID.randomUUID();
            Fixtures.registered(customer, null);
            await().atMost(Fixtures.WAIT).until(() -> Fixtures.sql("SELECT variant FROM experiment_assignment WHERE experiment_id = ? AND customer_id = ?",
                    UUID.fromString(journey), customer) != null);
            ConsumerRecord<String, String> event = Fixtures.exactlyOne(EventType.VARIANT_ASSIGNED, customer);
            assertThat(EventSchemas.violations(EventType.VARIANT_ASSIGNED.type(), event.value())).isEmpty();
            assertThat(event.value()).contains("\"experimentKind\": \"journey\"").contains("\"step\": \"ab\"")
                    .contains("\"plannedShare\": 0.5000");
            given().auth().oauth2(marketer).queryParam("customerId", customer.toString()).get("/api/journeys/" + journey + "/instances")
                    .then().body("[0].status", equalTo("exited")).body("[0].variant", org.hamcrest.Matchers.oneOf("one", "two"));

            // a significant verdict on the split: everyone reaching it from now on takes the winner's branch
            KafkaTestClient.send(Topics.EVALUATION, journey, """
                    {"experimentId":"%s","experimentKind":"journey","step":"ab","metric":"conversion","winner":"two","significant":true,
                     "pValue":0.001,"concludedAt":"%s"}""".formatted(journey, Instant.now()),
                    KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.EXPERIMENT_CONCLUDED.type(), UUID.fromString(journey)));
            await().atMost(Fixtures.WAIT).until(() -> "two".equals(Fixtures.sql("SELECT variant FROM journey_winner WHERE journey_id = ?",
                    UUID.fromString(journey))));
            for (int i = 0; i < 4; i++) {
                UUID later = UUID.randomUUID();
                Fixtures.registered(later, null);
                await().atMost(Fixtures.WAIT).until(() -> "two".equals(Fixtures.sql(
                        "SELECT variant FROM journey_instance WHERE journey_id = ? AND customer_id = ? AND status = 'exited'",
                        UUID.fromString(journey), later)));
            }
        } finally {
            given().auth().oauth2(marketer).post("/api/journeys/" + journey + "/archive");
        }
    }

    private static void verdict(String campaign, String winner, boolean significant) {
        UUID id = UUID.fromString(campaign);
        KafkaTestClient.send(Topics.EVALUATION, campaign, """
                {"experimentId":"%s","experimentKind":"campaign","metric":"conversion","winner":"%s","significant":%s,"pValue":0.01,"concludedAt":"%s"}
                """.formatted(campaign, winner, significant, Instant.now()),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.EXPERIMENT_CONCLUDED.type(), id));
    }

    private String create(String template, UUID segment, String extra, int rate) {
        return given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"ab-%s","templateId":"%s","segmentId":"%s","ratePerMinute":%d,%s}""".formatted(UUID.randomUUID(), template, segment, rate, extra))
                .post("/api/campaigns").then().statusCode(201).body("variants.name", hasItem("A")).extract().path("id");
    }

    private void schedule(String campaign) {
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{}").post("/api/campaigns/" + campaign + "/schedule").then().statusCode(200);
    }

    private JsonPath stats(String campaign) {
        return given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/campaigns/" + campaign).then().statusCode(200).extract().jsonPath();
    }
}
