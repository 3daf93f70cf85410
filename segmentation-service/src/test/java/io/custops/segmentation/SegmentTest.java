package io.custops.segmentation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

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
class SegmentTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final String marketer = TestTokens.bearer("marketer");

    @Test
    void aRuleSegmentFollowsEventsInRealTimeAndAnnouncesEntriesAndExits() {
        String category = "shoes-" + UUID.randomUUID();
        String segment = create("""
                {"name":"repeat %1$s buyers","kind":"rule","definition":{"all":[
                  {"score":{"name":"orderCount","op":"gte","value":2}},
                  {"performed":{"event":"order","where":[{"field":"category","op":"eq","value":"%1$s"}],"withinDays":30}}]}}
                """.formatted(category));
        UUID customer = UUID.randomUUID();
        Events.categoryOrder(customer, "SG-1", category, 3);
        awaitOrders(customer, 1);
        given().auth().oauth2(marketer).get("/api/segments/" + segment + "/members").then().statusCode(200)
                .body("items.customerId", not(hasItem(customer.toString())));

        Events.categoryOrder(customer, "SG-2", "socks", 1);
        awaitMember(segment, customer, true);
        List<ConsumerRecord<String, String>> entered = KafkaTestClient.read(Topics.SEGMENTATION, r -> customer.toString().equals(r.key())
                && EventType.SEGMENT_ENTERED.type().equals(KafkaTestClient.header(r, "ce_type")), 1, WAIT);
        assertThat(EventSchemas.violations(EventType.SEGMENT_ENTERED.type(), entered.get(0).value())).isEmpty();
        assertThat(entered.get(0).value()).contains(segment).contains("\"cause\": \"event\"");
        given().auth().oauth2(marketer).get("/api/segments/" + segment).then().body("members", equalTo(1))
                .body("timeRelative", equalTo(true));

        // a full refund takes the second order away: the customer no longer qualifies and exits
        Events.refund(customer, "SG-2", "SG-R", "20.00", 0);
        awaitMember(segment, customer, false);
        List<ConsumerRecord<String, String>> exited = KafkaTestClient.read(Topics.SEGMENTATION, r -> customer.toString().equals(r.key())
                && EventType.SEGMENT_EXITED.type().equals(KafkaTestClient.header(r, "ce_type")), 1, WAIT);
        assertThat(EventSchemas.violations(EventType.SEGMENT_EXITED.type(), exited.get(0).value())).isEmpty();
    }

    @Test
    void tagsNeverAndAnniversariesAndAChangedDefinitionReEvaluatesEveryone() {
        String interest = "t-" + UUID.randomUUID();
        UUID prospect = UUID.randomUUID();
        Events.registered(prospect);
        Events.tagged(prospect, "interest", interest);
        UUID buyer = UUID.randomUUID();
        Events.tagged(buyer, "interest", interest);
        Events.orderDaysAgo(buyer, "AN-1", "10.00", 364);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(marketer).contentType(ContentType.JSON)
                .body("{\"definition\":{\"tag\":{\"group\":\"interest\",\"tag\":\"" + interest + "\"}}}")
                .post("/api/segments/preview").then().statusCode(200).body("customers", equalTo(2)));

        String segment = create("""
                {"name":"never ordered %s","kind":"rule","definition":{"all":[
                  {"tag":{"group":"interest","tag":"%s"}},{"performed":{"event":"order","count":{"op":"eq","value":0}}}]}}
                """.formatted(interest, interest));
        awaitMember(segment, prospect, true);
        awaitMember(segment, buyer, false);

        // the same segment now looks for first-order anniversaries in the next three days: the buyer's is tomorrow
        String job = given().auth().oauth2(marketer).contentType(ContentType.JSON).body("""
                {"name":"never ordered %s","kind":"rule","definition":{"all":[
                  {"tag":{"group":"interest","tag":"%s"}},{"date":{"field":"firstOrderAt","anniversaryWithinDays":3}}]}}
                """.formatted(interest, interest)).put("/api/segments/" + segment).then().statusCode(200)
                .body("version", equalTo(2)).extract().path("job.id");
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("admin")).get("/api/scores/jobs/" + job)
                .then().statusCode(404)); // segment jobs are not score jobs
        awaitMember(segment, buyer, true);
        awaitMember(segment, prospect, false);
        List<ConsumerRecord<String, String>> entered = KafkaTestClient.read(Topics.SEGMENTATION, r -> buyer.toString().equals(r.key())
                && EventType.SEGMENT_ENTERED.type().equals(KafkaTestClient.header(r, "ce_type")), 1, WAIT);
        assertThat(entered.get(0).value()).contains("\"cause\": \"definition\"");

        // once the prospect orders, "never ordered" no longer holds anywhere
        given().auth().oauth2(marketer).delete("/api/segments/" + segment).then().statusCode(204);
        given().auth().oauth2(marketer).get("/api/segments/" + segment).then().statusCode(200).body("state", equalTo("archived"))
                .body("members", equalTo(0));
    }

    @Test
    void birthdaysWithinTheNextDaysFollowTheProfileEvents() {
        String group = "b-" + UUID.randomUUID();
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        java.time.format.DateTimeFormatter monthDay = java.time.format.DateTimeFormatter.ofPattern("MM-dd");
        UUID soon = UUID.randomUUID();
        Events.registeredWithBirthday(soon, today.plusDays(2).format(monthDay));
        Events.tagged(soon, group, "x");
        UUID later = UUID.randomUUID();
        Events.registeredWithBirthday(later, today.plusDays(20).format(monthDay));
        Events.tagged(later, group, "x");
        String segment = create("""
                {"name":"birthdays %s","kind":"rule","definition":{"all":[
                  {"tag":{"group":"%s","tag":"x"}},{"date":{"field":"birthday","anniversaryWithinDays":7}}]}}
                """.formatted(group, group));
        awaitMember(segment, soon, true);
        awaitMember(segment, later, false);
        Events.birthdayChanged(later, today.plusDays(1).format(monthDay));
        Events.birthdayChanged(soon, today.plusDays(30).format(monthDay));
        awaitMember(segment, later, true);
        awaitMember(segment, soon, false);
    }

    @Test
    void badDefinitionsAreRefusedFieldByFieldAndValuesNeverBecomeSql() {
        given().auth().oauth2(marketer).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"kind\":\"rule\",\"definition\":{\"all\":[{\"score\":{\"name\":\"salary\",\"op\":\"gt\",\"value\":1}},"
                        + "{\"performed\":{\"event\":\"order\",\"withinDays\":3,\"between\":{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-02-01T00:00:00Z\"}}},"
                        + "{\"eval\":\"1=1\"}]}}")
                .post("/api/segments").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("definition.all[0].score.name", "definition.all[2]"));
        given().auth().oauth2(marketer).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"kind\":\"rule\",\"definition\":{\"score\":{\"name\":\"healthIndex\",\"op\":\"between\",\"value\":[50,10]}}}")
                .post("/api/segments").then().statusCode(400).body("errors.field", hasItem("definition.score.value"));
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{\"name\":\"\",\"kind\":\"dynamic\"}")
                .post("/api/segments").then().statusCode(400).body("errors.field", hasItems("name", "kind"));
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{\"name\":").post("/api/segments").then().statusCode(400);
        // a value that looks like SQL is only ever a bound parameter
        given().auth().oauth2(marketer).contentType(ContentType.JSON)
                .body("{\"definition\":{\"attribute\":{\"name\":\"region\",\"op\":\"eq\",\"value\":\"x'); DROP TABLE segment; --\"}}}")
                .post("/api/segments/preview").then().statusCode(200).body("customers", equalTo(0));
        given().auth().oauth2(marketer).get("/api/segments").then().statusCode(200);
        given().auth().oauth2(TestTokens.bearer("analyst")).contentType(ContentType.JSON)
                .body("{\"name\":\"y\",\"kind\":\"static\"}").post("/api/segments").then().statusCode(403);
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).get("/api/segments").then().statusCode(403);
        given().auth().oauth2(marketer).get("/api/segments/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(marketer).get("/api/segments/schema").then().statusCode(200).body("title",
                equalTo("CustOps segment definition"));
    }

    @Test
    void staticSegmentsTakeUploadsAndExportAsCsv() {
        UUID known = UUID.randomUUID();
        Events.orderDaysAgo(known, "ST-1", "10.00", 2);
        awaitOrders(known, 1);
        String segment = create("{\"name\":\"vip list " + UUID.randomUUID() + "\",\"kind\":\"static\"}");
        UUID unknown = UUID.randomUUID();
        given().auth().oauth2(marketer).contentType(ContentType.JSON)
                .body("{\"customerIds\":[\"" + known + "\",\"" + unknown + "\"]}").put("/api/segments/" + segment + "/members")
                .then().statusCode(200).body("entered", equalTo(1)).body("exited", equalTo(0)).body("unknown", equalTo(1));
        String csv = given().auth().oauth2(marketer).get("/api/segments/" + segment + "/members.csv").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        assertThat(csv.lines().toList()).hasSize(2).first().isEqualTo("customer_id,entered_at");
        assertThat(csv).contains(known.toString()).doesNotContain(unknown.toString());
        given().auth().oauth2(marketer).contentType("text/csv").body("customer_id\nnot-an-id\n")
                .put("/api/segments/" + segment + "/members").then().statusCode(400).body("errors.field", hasItem("line 2"));
        given().auth().oauth2(marketer).contentType("text/csv").body("customer_id\n")
                .put("/api/segments/" + segment + "/members?mode=replace").then().statusCode(200).body("exited", equalTo(1));
        given().auth().oauth2(marketer).get("/api/segments/" + segment + "/members").then().body("items", org.hamcrest.Matchers.empty());

        String rule = create("{\"name\":\"rule " + UUID.randomUUID() + "\",\"kind\":\"rule\",\"definition\":{\"churnRisk\":true}}");
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{\"customerIds\":[]}")
                .put("/api/segments/" + rule + "/members").then().statusCode(409);
        given().auth().oauth2(marketer).get("/api/segments/" + segment + "/members?limit=0").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{\"customerIds\":[],\"mode\":\"merge\"}")
                .put("/api/segments/" + segment + "/members").then().statusCode(400).body("errors.field", hasItem("mode"));
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/segments/" + segment + "/members.csv").then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("analyst")).contentType(ContentType.JSON).body("{\"customerIds\":[]}")
                .put("/api/segments/" + segment + "/members").then().statusCode(403);
        given().auth().oauth2(TestTokens.member(known)).get("/api/segments/" + segment + "/members").then().statusCode(403);
    }

    private String create(String body) {
        return given().auth().oauth2(marketer).contentType(ContentType.JSON).body(body).post("/api/segments").then()
                .statusCode(201).extract().path("id");
    }

    private void awaitMember(String segment, UUID customer, boolean member) {
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> ids = given().auth().oauth2(marketer).get("/api/segments/" + segment + "/members?limit=1000")
                    .then().statusCode(200).extract().path("items.customerId");
            assertThat(ids.contains(customer.toString())).as(customer + " member of " + segment).isEqualTo(member);
        });
    }

    private static void awaitOrders(UUID customer, int orders) {
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + customer).then().statusCode(200).body("rollup.orderCount", equalTo(orders)));
    }
}
