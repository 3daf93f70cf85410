package io.custops.campaign;

import static io.custops.campaign.Fixtures.customer;
import static io.custops.campaign.Fixtures.grant;
import static io.custops.campaign.Fixtures.inbox;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The ready journeys end to end over the real broker, SMTP server and HTTP providers. A wait is a row with a due
 * time: the tests move it to now (as if its time had come) instead of waiting days.
 */
@QuarkusTest
class JourneyTest {
    private static final String NOON = SafeguardTest.zoneWhereItIsNow(12);
    private final String marketer = TestTokens.bearer("marketer");

    @Test
    void birthdayGreetingAtNineInTheCustomersZoneOnTheirBirthday() throws Exception {
        UUID customer = customer(NOON);
        grant(customer, "email", "marketing");
        Fixtures.registered(customer, DateTimeFormatter.ofPattern("MM-dd").format(Instant.now().atZone(ZoneOffset.UTC)));
        await().atMost(Fixtures.WAIT).until(() -> Fixtures.sql("SELECT birthday_month_day FROM audience_customer WHERE customer_id = ?",
                customer) != null);
        String journey = fromTemplate("birthday-greeting");
        try {
            activate(journey); // the date sweep runs at activation too
            JsonPath instance = awaitWaiting(journey, customer);
            Instant due = Instant.parse(instance.getString("dueAt"));
            assertThat(due.atZone(ZoneId.of(NOON)).toLocalTime()).isEqualTo(LocalTime.of(9, 0));
            assertThat(due).isAfter(Instant.now());
            fastForward(journey, customer);
            awaitInstance(journey, customer, "exited");
            await().atMost(Fixtures.WAIT).until(() -> inbox(email(customer)).size() == 1);
            assertThat(inbox(email(customer)).get(0).getSubject()).isEqualTo("Happy birthday, Ada!");
            // the entry rule: a second sweep the same year does not enter the customer again
            given().auth().oauth2(marketer).post("/api/journeys/" + journey + "/pause").then().statusCode(200);
            activate(journey);
            assertThat(instances(journey, customer).getList("")).hasSize(1);
        } finally {
            archive(journey);
        }
    }

    @Test
    void relatedProductsSevenDaysAfterAPurchaseFromCoPurchases() throws Exception {
        String a = "sku-a-" + UUID.randomUUID();
        String b = "sku-b-" + UUID.randomUUID();
        String c = "sku-c-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            UUID other = UUID.randomUUID();
            Fixtures.order(other, "CO-" + UUID.randomUUID(), "20.00", Instant.now(), i < 2 ? List.of(a, b) : List.of(a, c));
        }
        await().atMost(Fixtures.WAIT).until(() -> "3".equals(Fixtures.sql("SELECT customers FROM item_stat WHERE sku = ?", a)));
        given().auth().oauth2(marketer).queryParam("sku", a).get("/api/campaigns/recommendations").then().statusCode(200)
                .body("sku", org.hamcrest.Matchers.contains(b, c)).body("[0].customers", equalTo(2)).body("[0].confidence", equalTo(0.6667f));
        given().auth().oauth2(marketer).get("/api/campaigns/recommendations").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("sku"));
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).queryParam("sku", a).get("/api/campaigns/recommendations")
                .then().statusCode(403);
        given().queryParam("sku", a).get("/api/campaigns/recommendations").then().statusCode(401);

        String journey = fromTemplate("related-products");
        try {
            activate(journey);
            UUID customer = customer(NOON);
            grant(customer, "email", "marketing");
            Fixtures.order(customer, "RP-" + UUID.randomUUID(), "10.00", Instant.now(), List.of(a));
            JsonPath waiting = awaitWaiting(journey, customer);
            assertThat(waiting.getString("waitingEvent")).isEqualTo("OrderPlaced");
            assertThat(Instant.parse(waiting.getString("dueAt"))).isAfter(Instant.now().plus(6, ChronoUnit.DAYS));
            fastForward(journey, customer);
            awaitInstance(journey, customer, "exited");
            await().atMost(Fixtures.WAIT).until(() -> inbox(email(customer)).size() == 1);
            String body = (String) inbox(email(customer)).get(0).getContent();
            assertThat(body).contains("<li>" + b + "</li><li>" + c + "</li>").doesNotContain("<li>" + a + "</li>");
        } finally {
            archive(journey);
        }
    }

    @Test
    void winBackSendsACouponThenAnSmsReminderAndAnOrderConverts() throws Exception {
        String journey = fromTemplate("win-back");
        try {
            activate(journey);
            UUID lapsed = customer(NOON);
            grant(lapsed, "email", "marketing");
            grant(lapsed, "sms", "marketing");
            Fixtures.churnRisk(lapsed, "purchase-gap"); // not the trigger's reason
            Fixtures.churnRisk(lapsed, "inactive");
            await().atMost(Fixtures.WAIT).until(() -> inbox(email(lapsed)).size() == 1);
            String coupon = given().auth().oauth2(marketer).get("/api/coupons/customers/" + lapsed).then().statusCode(200)
                    .body("size()", equalTo(1)).body("[0].status", equalTo("issued")).extract().path("[0].code");
            assertThat(coupon).startsWith("WB-");
            assertThat((String) inbox(email(lapsed)).get(0).getContent()).contains(coupon);
            assertThat(instances(journey, lapsed).getList("")).hasSize(1);
            awaitWaiting(journey, lapsed);
            fastForward(journey, lapsed);
            awaitInstance(journey, lapsed, "exited");
            await().atMost(Fixtures.WAIT).until(() -> smsTo(lapsed) != null);
            assertThat(smsTo(lapsed)).contains(coupon);

            UUID back = customer(NOON);
            grant(back, "email", "marketing");
            Fixtures.churnRisk(back, "inactive", "interaction-drop");
            awaitWaiting(journey, back);
            Fixtures.order(back, "WB-" + UUID.randomUUID(), "45.00");
            JsonPath converted = awaitInstance(journey, back, "converted");
            assertThat(converted.getString("reason")).isEqualTo("goal: OrderPlaced");
            given().auth().oauth2(marketer).get("/api/journeys/" + journey).then().statusCode(200)
                    .body("statistics.converted", equalTo(1)).body("statistics.exited", equalTo(1));
        } finally {
            archive(journey);
        }
    }

    @Test
    void replenishmentRemindsAtTheCustomersOwnPurchaseCycle() throws Exception {
        String journey = fromTemplate("replenishment");
        try {
            UUID customer = UUID.randomUUID();
            Fixtures.contact(customer, null, null, "device-" + customer, NOON, "en");
            grant(customer, "push", "marketing");
            Fixtures.order(customer, "RE-1", "30.00", Instant.now().minus(20, ChronoUnit.DAYS), List.of());
            await().atMost(Fixtures.WAIT).until(() -> "1".equals(Fixtures.sql("SELECT order_count FROM audience_customer WHERE customer_id = ?", customer)));
            activate(journey);
            Fixtures.order(customer, "RE-2", "30.00", Instant.now(), List.of());
            JsonPath waiting = awaitWaiting(journey, customer);
            // two orders 20 days apart: the reminder is due at 0.9 × 20 = 18 days
            Duration due = Duration.between(Instant.now(), Instant.parse(waiting.getString("dueAt")));
            assertThat(due.toHours()).isBetween(18 * 24L - 1, 18 * 24L);
            fastForward(journey, customer);
            awaitInstance(journey, customer, "exited");
            await().atMost(Fixtures.WAIT).until(() -> pushTo(customer) != null);
            assertThat(pushTo(customer)).contains("RE-2");
        } finally {
            archive(journey);
        }
    }

    @Test
    void firstOrderIncentiveOnlyForCustomersWhoHaveNotOrderedAndTheirOrderConverts() throws Exception {
        String journey = fromTemplate("first-order");
        try {
            activate(journey);
            UUID newcomer = customer(NOON);
            grant(newcomer, "email", "marketing");
            Fixtures.registered(newcomer, null);
            JsonPath waiting = awaitWaiting(journey, newcomer);
            assertThat(Instant.parse(waiting.getString("dueAt"))).isAfter(Instant.now().plus(23, ChronoUnit.HOURS));
            fastForward(journey, newcomer);
            await().atMost(Fixtures.WAIT).until(() -> inbox(email(newcomer)).size() == 1);
            assertThat(inbox(email(newcomer)).get(0).getSubject()).contains("10% off your first order");
            Fixtures.order(newcomer, "FO-" + UUID.randomUUID(), "25.00");
            awaitInstance(journey, newcomer, "converted");

            UUID quick = customer(NOON);
            grant(quick, "email", "marketing");
            Fixtures.registered(quick, null);
            awaitWaiting(journey, quick);
            // an order before the day is over reaches the goal at once: no incentive is ever sent
            Fixtures.order(quick, "FO-" + UUID.randomUUID(), "5.00");
            awaitInstance(journey, quick, "converted");
            assertThat(inbox(email(quick))).isEmpty();
        } finally {
            archive(journey);
        }
    }

    @Test
    void churnRescueGivesHighValueCustomersAPersonalOffer() throws Exception {
        String journey = fromTemplate("churn-rescue");
        try {
            activate(journey);
            UUID vip = customer(NOON);
            Fixtures.tier(vip, "A");
            grant(vip, "email", "marketing");
            UUID basic = customer(NOON);
            Fixtures.tier(basic, "C");
            grant(basic, "email", "marketing");
            Fixtures.churnRisk(vip, "purchase-gap");
            Fixtures.churnRisk(basic, "purchase-gap");
            await().atMost(Fixtures.WAIT).until(() -> inbox(email(vip)).size() == 1 && inbox(email(basic)).size() == 1);
            assertThat(inbox(email(vip)).get(0).getSubject()).contains("a personal thank-you");
            assertThat(inbox(email(basic)).get(0).getSubject()).contains("How are we doing");
            assertThat(instances(journey, vip).getList("history.outcome.flatten()")).contains("then", "message queued", "exit");
        } finally {
            archive(journey);
        }
    }

    @Test
    void aWorkerThatDiesDuringAWaitIsReplacedAndTheMessageGoesOutExactlyOnce() throws Exception {
        String journey = fromTemplate("first-order");
        try {
            activate(journey);
            UUID customer = customer(NOON);
            grant(customer, "email", "marketing");
            Fixtures.registered(customer, null);
            awaitWaiting(journey, customer);
            // a replica claims the due instance and dies before saving: its lease must run out before anyone else takes it
            Fixtures.update("""
                    UPDATE journey_instance SET due_at = now(), lease_until = now() + interval '3 seconds', attempts = attempts + 1
                    WHERE journey_id = ? AND customer_id = ?""", UUID.fromString(journey), customer);
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> inbox(email(customer)).isEmpty());
            await().atMost(Fixtures.WAIT).until(() -> inbox(email(customer)).size() == 1);
            // and a step is queued once even when the same instance is run again
            Fixtures.update("UPDATE journey_instance SET step_id = 'welcome', waiting_event = NULL, due_at = now(), status = 'active'"
                    + " WHERE journey_id = ? AND customer_id = ?", UUID.fromString(journey), customer);
            await().atMost(Fixtures.WAIT).until(() -> "active".equals(instances(journey, customer).getString("[0].status"))
                    && "OrderPlaced".equals(instances(journey, customer).getString("[0].waitingEvent")));
            assertThat(Fixtures.sql("SELECT count(*) FROM message WHERE customer_id = ? AND journey_id = ?", customer,
                    UUID.fromString(journey))).isEqualTo("1");
            assertThat(inbox(email(customer))).hasSize(1);
        } finally {
            archive(journey);
        }
    }

    @Test
    void definitionsAreValidatedVersionedAndCustomersInFlightKeepTheirVersion() throws Exception {
        String template = Fixtures.template("email", "marketing", "Hi", "<p>hi</p>");
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"bad-%s","definition":{"trigger":{"event":"Teleported"},"entry":{"mode":"oncePer"},
                 "steps":[{"id":"s1","type":"send","templateId":"%s","next":"nowhere"},{"id":"s1","type":"wait"}]}}"""
                .formatted(UUID.randomUUID(), template))
                .post("/api/journeys").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("definition.trigger"));
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"refs-%s","definition":{"trigger":{"event":"OrderPlaced"},"entry":{"mode":"oncePer"},
                 "steps":[{"id":"s1","type":"send","templateId":"%s","next":"nowhere"},{"id":"s1","type":"exit"}]}}"""
                .formatted(UUID.randomUUID(), template))
                .post("/api/journeys").then().statusCode(400)
                .body("errors.field", hasItems("definition.steps", "definition.steps[0].next", "definition.entry.period"));
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"missing-%s","definition":{"trigger":{"event":"OrderPlaced"},
                 "steps":[{"id":"s1","type":"send","templateId":"%s"}]}}""".formatted(UUID.randomUUID(), UUID.randomUUID()))
                .post("/api/journeys").then().statusCode(400).body("errors[0].field", equalTo("templateId"));

        String sku = "v-" + UUID.randomUUID();
        String definition = """
                {"trigger":{"event":"OrderPlaced","where":[{"field":"items","op":"contains","value":"%s"}]},"entry":{"mode":"always"},
                 "steps":[{"id":"hold","type":"wait","duration":"P1D"},{"id":"%s","type":"send","templateId":"%s"}]}""";
        String journey = given().auth().oauth2(marketer).contentType(ContentType.JSON)
                .body("{\"name\":\"versions-" + sku + "\",\"definition\":" + definition.formatted(sku, "first", template) + "}")
                .post("/api/journeys").then().statusCode(201).body("version", equalTo(1)).body("status", equalTo("draft"))
                .extract().path("id");
        try {
            activate(journey);
            UUID early = customer(NOON);
            grant(early, "email", "marketing");
            Fixtures.order(early, "V-" + UUID.randomUUID(), "1.00", Instant.now(), List.of("other"));
            Fixtures.order(early, "V-" + UUID.randomUUID(), "1.00", Instant.now(), List.of(sku));
            awaitWaiting(journey, early);
            given().auth().oauth2(marketer).contentType(ContentType.JSON)
                    .body("{\"name\":\"versions-" + sku + "\",\"version\":1,\"definition\":" + definition.formatted(sku, "second", template) + "}")
                    .put("/api/journeys/" + journey).then().statusCode(200).body("version", equalTo(2));
            given().auth().oauth2(marketer).contentType(ContentType.JSON)
                    .body("{\"name\":\"x\",\"version\":1,\"definition\":" + definition.formatted(sku, "third", template) + "}")
                    .put("/api/journeys/" + journey).then().statusCode(409);
            UUID late = customer(NOON);
            grant(late, "email", "marketing");
            Fixtures.order(late, "V-" + UUID.randomUUID(), "1.00", Instant.now(), List.of(sku));
            awaitWaiting(journey, late);
            fastForward(journey, early);
            fastForward(journey, late);
            awaitInstance(journey, early, "completed");
            awaitInstance(journey, late, "completed");
            assertThat(instances(journey, early).getInt("[0].version")).isEqualTo(1);
            assertThat(instances(journey, early).getList("[0].history.stepId")).contains("first");
            assertThat(instances(journey, late).getInt("[0].version")).isEqualTo(2);
            assertThat(instances(journey, late).getList("[0].history.stepId")).contains("second");
            given().auth().oauth2(marketer).get("/api/journeys/" + journey + "/versions/1").then().statusCode(200)
                    .body("steps.id", hasItem("first"));
            given().auth().oauth2(TestTokens.bearer("analyst")).post("/api/journeys/" + journey + "/pause").then().statusCode(403);
            given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/journeys/templates").then().statusCode(200)
                    .body("key", hasItems("birthday-greeting", "related-products", "win-back", "replenishment", "first-order", "churn-rescue"));
        } finally {
            archive(journey);
        }
    }

    @Test
    void aDateTriggerAfterTheLastOrderWithSegmentAndScoreConditionsAndATagThroughTheProfileApi() throws Exception {
        UUID segment = UUID.randomUUID();
        UUID loyal = customer(NOON);
        UUID other = customer(NOON);
        for (UUID c : List.of(loyal, other)) {
            grant(c, "email", "marketing");
            Fixtures.order(c, "LO-" + UUID.randomUUID(), "30.00", Instant.now().minus(7, ChronoUnit.DAYS), List.of());
        }
        Fixtures.segment(segment, loyal, true);
        Fixtures.awaitMembers(segment, 1);
        io.custops.local.testing.KafkaTestClient.send(io.custops.events.Topics.SEGMENTATION, loyal.toString(), """
                {"customerId":"%s","recencyScore":4,"frequencyScore":4,"monetaryScore":5,"valueScore":4.3,"tier":"A","valueLevel":"loyal",
                 "valueGrade":4,"activityGrade":3,"potentialGrade":4,"strategy":"invest","healthIndex":72,"atRisk":false,"churnRisk":false,
                 "lifecycleStage":"repurchase","modelVersion":1,"scoredAt":"%s"}""".formatted(loyal, Instant.now()),
                io.custops.local.testing.KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(),
                        io.custops.events.EventType.SCORES_UPDATED.type(), loyal));
        await().atMost(Fixtures.WAIT).until(() -> Fixtures.sql("SELECT scores->>'healthIndex' FROM audience_customer WHERE customer_id = ?", loyal) != null);
        await().atMost(Fixtures.WAIT).until(() -> "1".equals(Fixtures.sql("SELECT order_count FROM audience_customer WHERE customer_id = ?", other)));
        String template = Fixtures.template("email", "marketing", "A week on", "<p>How is it going?</p>");
        String journey = given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"week-after-%s","definition":{"trigger":{"date":{"attribute":"lastOrder","offsetDays":7}},"entry":{"mode":"oncePer","period":"P30D"},
                 "steps":[{"id":"past","type":"wait","until":"2020-01-01T00:00:00Z"},
                  {"id":"fit","type":"condition","if":{"all":[{"segment":{"in":"%s"}},{"score":{"name":"healthIndex","op":"gte","value":60}},
                      {"attribute":{"name":"valueLevel","op":"in","value":["loyal","champion"]}}]},"else":"done"},
                  {"id":"mark","type":"tag","group":"journey","tag":"week-after"},
                  {"id":"ask","type":"send","templateId":"%s"},{"id":"done","type":"exit"}]}}""".formatted(UUID.randomUUID(), segment, template))
                .post("/api/journeys").then().statusCode(201).extract().path("id");
        try {
            activate(journey); // the date sweep: both ordered exactly 7 days ago
            awaitInstance(journey, loyal, "exited");
            awaitInstance(journey, other, "exited");
            assertThat(instances(journey, loyal).getList("[0].history.outcome")).contains("wait over", "then", "tagged journey/week-after", "message queued");
            assertThat(instances(journey, other).getList("[0].history.outcome")).contains("else").doesNotContain("message queued");
            await().atMost(Fixtures.WAIT).until(() -> inbox(email(loyal)).size() == 1);
            assertThat(inbox(email(other))).isEmpty();
            String tags = new String(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    System.getProperty(DeliveryTestInfra.STUB_URL) + "/control/tags/" + loyal)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(tags).contains("\"group\":\"journey\"").contains("\"tag\":\"week-after\"");
        } finally {
            archive(journey);
        }
    }

    private String fromTemplate(String key) {
        return given().auth().oauth2(marketer).post("/api/journeys/templates/" + key).then().statusCode(201)
                .body("status", equalTo("draft")).extract().path("id");
    }

    private void activate(String journey) {
        given().auth().oauth2(marketer).post("/api/journeys/" + journey + "/activate").then().statusCode(200)
                .body("status", equalTo("active"));
    }

    private void archive(String journey) {
        given().auth().oauth2(marketer).post("/api/journeys/" + journey + "/archive");
    }

    private JsonPath instances(String journey, UUID customer) {
        return given().auth().oauth2(TestTokens.bearer("analyst")).queryParam("customerId", customer.toString())
                .get("/api/journeys/" + journey + "/instances").then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the runner has taken the customer's new instance to a wait (an event or a timer in the future). */
    private JsonPath awaitWaiting(String journey, UUID customer) {
        await().atMost(Fixtures.WAIT).until(() -> {
            JsonPath latest = instances(journey, customer);
            return "active".equals(latest.getString("[0].status")) && !latest.getList("[0].history").isEmpty()
                    && Instant.parse(latest.getString("[0].dueAt")).isAfter(Instant.now().plusSeconds(60));
        });
        return new JsonPath(instances(journey, customer).prettify()).setRootPath("[0]");
    }

    /** Waits until the customer's (latest) instance of the journey has the status; returns it. */
    private JsonPath awaitInstance(String journey, UUID customer, String status) {
        await().atMost(Fixtures.WAIT).until(() -> status.equals(instances(journey, customer).getString("[0].status")));
        return new JsonPath(instances(journey, customer).prettify()).setRootPath("[0]");
    }

    /** The wait is over: its due time moves to now. */
    private static void fastForward(String journey, UUID customer) throws Exception {
        assertThat(Fixtures.update("UPDATE journey_instance SET due_at = now() WHERE journey_id = ? AND customer_id = ? AND status = 'active'",
                UUID.fromString(journey), customer)).isEqualTo(1);
    }

    private static String email(UUID customer) {
        return "c-" + customer + "@example.com";
    }

    private static String smsTo(UUID customer) {
        return received("sms", Fixtures.sqlOrNull("SELECT id FROM message WHERE customer_id = ? AND channel = 'sms' AND status = 'sent'", customer));
    }

    private static String pushTo(UUID customer) {
        return received("push", Fixtures.sqlOrNull("SELECT id FROM message WHERE customer_id = ? AND channel = 'push' AND status = 'sent'", customer));
    }

    private static String received(String channel, String message) {
        if (message == null) {
            return null;
        }
        for (com.fasterxml.jackson.databind.JsonNode m : Fixtures.received(channel)) {
            if (m.path("messageId").asText().equals(message)) {
                return m.path("body").asText();
            }
        }
        return null;
    }
}
