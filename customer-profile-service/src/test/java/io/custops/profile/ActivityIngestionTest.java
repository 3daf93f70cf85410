package io.custops.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
class ActivityIngestionTest {

    private static Response post(String body, String idempotencyKey) {
        var request = given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/events");
    }

    @Test
    void everyEventTypeIsPublishedAndMatchesItsSchema() {
        UUID customer = Fixtures.registerCustomer();
        String who = "\"customerId\":\"" + customer + "\"";
        String run = UUID.randomUUID().toString();
        String body = Fixtures.batch(
                Fixtures.orderEvent(who, "O-" + run, "99.50"),
                """
                {"eventId":"r-%1$s","type":"OrderRefunded",%2$s,"occurredAt":"2026-11-21T10:00:00Z","source":"pos",
                 "data":{"orderId":"O-%1$s","refundId":"R-1","amount":{"value":"20.00","currency":"EUR"},"reason":"damaged"}}""".formatted(run, who),
                """
                {"eventId":"i-%1$s","type":"InteractionRecorded",%2$s,"occurredAt":"2026-11-21T11:00:00Z","source":"app","channel":"app",
                 "data":{"interactionType":"product_view","properties":{"sku":"SKU-1","note":"${7*7} #{1+1} script::alert <script>x</script>"}}}""".formatted(run, who),
                """
                {"eventId":"f-%1$s","type":"FeedbackSubmitted",%2$s,"occurredAt":"2026-11-21T12:00:00Z","source":"survey",
                 "data":{"feedbackId":"F-%1$s","kind":"nps","score":9,"comment":"Call me at +49 30 1234567"}}""".formatted(run, who),
                """
                {"eventId":"c-%1$s","type":"FeedbackSubmitted",%2$s,"occurredAt":"2026-11-21T12:30:00Z","source":"desk",
                 "data":{"feedbackId":"C-%1$s","kind":"complaint","category":"delivery"}}""".formatted(run, who),
                """
                {"eventId":"cr-%1$s","type":"ComplaintResolved",%2$s,"occurredAt":"2026-11-22T09:00:00Z","source":"desk",
                 "data":{"complaintId":"C-%1$s","resolution":"compensated"}}""".formatted(run, who));
        post(body, null).then().statusCode(200).body("accepted", equalTo(6)).body("rejected", equalTo(0));

        List<ConsumerRecord<String, String>> records = KafkaTestClient.read(Topics.ACTIVITY,
                r -> customer.toString().equals(r.key()), 6, Duration.ofSeconds(30));
        assertThat(records).hasSize(6);
        for (ConsumerRecord<String, String> record : records) {
            String type = KafkaTestClient.header(record, "ce_type");
            assertThat(EventSchemas.violations(type, record.value())).as(type).isEmpty();
        }
        assertThat(records.stream().map(r -> KafkaTestClient.header(r, "ce_type")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(EventType.ORDER_PLACED.type(), EventType.ORDER_REFUNDED.type(),
                        EventType.INTERACTION_RECORDED.type(), EventType.FEEDBACK_SUBMITTED.type(),
                        EventType.COMPLAINT_RESOLVED.type());
        String all = records.stream().map(ConsumerRecord::value).collect(Collectors.joining());
        // template-looking text is carried as inert data; the feedback comment (PII) is never published
        assertThat(all).contains("${7*7} #{1+1} script::alert <script>x</script>").doesNotContain("1234567");
    }

    @Test
    void badItemsAreReportedByIndexAndTheGoodOnesAreKept() {
        UUID customer = Fixtures.registerCustomer();
        String who = "\"customerId\":\"" + customer + "\"";
        String run = UUID.randomUUID().toString();
        String body = Fixtures.batch(
                Fixtures.orderEvent(who, "G1-" + run, "10.00"),
                """
                {"eventId":"b1-%s","type":"OrderShipped",%s,"occurredAt":"2026-11-20T10:00:00Z","source":"pos","data":{}}""".formatted(run, who),
                """
                {"eventId":"b2-%s","type":"FeedbackSubmitted",%s,"occurredAt":"2026-11-20T10:00:00Z","source":"pos",
                 "data":{"feedbackId":"x","kind":"nps","score":11}}""".formatted(run, who),
                """
                {"eventId":"b3-%s","type":"OrderPlaced","occurredAt":"not a time","source":"pos","data":{"orderId":"x"}}""".formatted(run),
                """
                {"eventId":"b4-%s","type":"OrderPlaced","customerId":"%s","occurredAt":"2026-11-20T10:00:00Z","source":"pos",
                 "data":{"orderId":"x","total":{"value":"1.00","currency":"EUR"}}}""".formatted(run, UUID.randomUUID()),
                """
                {"eventId":"b5-%s","type":"OrderPlaced","identifiers":[{"type":"email","value":"anonymous"},{"type":"phone","value":"-1"}],
                 "occurredAt":"2026-11-20T10:00:00Z","source":"pos","data":{"orderId":"x","total":{"value":"1.00","currency":"EUR"}}}""".formatted(run),
                "42",
                Fixtures.orderEvent(who, "G2-" + run, "20.00"));
        post(body, null).then().statusCode(200)
                .body("accepted", equalTo(2)).body("rejected", equalTo(6))
                .body("results[0].status", equalTo("accepted"))
                .body("results[1].status", equalTo("rejected"))
                .body("results[1].problem.errors.field", hasItem("type"))
                .body("results[2].problem.errors.field", hasItem("data.score"))
                .body("results[3].problem.errors.field", hasItem("occurredAt"))
                .body("results[4].problem.status", equalTo(404))
                .body("results[5].problem.errors.field", hasItem("identifiers"))
                .body("results[6].status", equalTo("rejected"))
                .body("results[7].status", equalTo("accepted"))
                .body("results[7].index", equalTo(7));
        assertThat(KafkaTestClient.read(Topics.ACTIVITY, r -> customer.toString().equals(r.key()), 3, Duration.ofSeconds(5)))
                .hasSize(2);
    }

    @Test
    void malformedBatchesAre400() {
        post("{\"events\":[]}", null).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("events"));
        post("[1,2]", null).then().statusCode(400).contentType("application/problem+json");
        post("{oops", null).then().statusCode(400).contentType("application/problem+json");
        String tooMany = Fixtures.batch(IntStream.range(0, 501).mapToObj(i -> "{}").toArray(String[]::new));
        post(tooMany, null).then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void identifiersResolveToOneCustomerAndCreateAProspectOnce() {
        String email = "shopper-" + UUID.randomUUID() + "@example.com";
        String run = UUID.randomUUID().toString();
        String first = Fixtures.orderEvent("\"identifiers\":[{\"type\":\"email\",\"value\":\"" + email.toUpperCase() + "\"}]",
                "P1-" + run, "10.00");
        String second = Fixtures.orderEvent("\"identifiers\":[{\"type\":\"email\",\"value\":\"" + email + "\"},"
                + "{\"type\":\"device_id\",\"value\":\" dev-" + run + " \"}]", "P2-" + run, "12.00");
        Response response = post(Fixtures.batch(first, second), null);
        response.then().statusCode(200).body("accepted", equalTo(2))
                .body("results[0].profileCreated", equalTo(true))
                .body("results[1].profileCreated", nullValue());
        String customer = response.path("results[0].customerId");
        assertThat((String) response.path("results[1].customerId")).isEqualTo(customer);

        // the device id was linked: it alone now finds the same customer
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{\"identifiers\":[{\"type\":\"device_id\",\"value\":\"dev-" + run + "\"}],\"source\":\"app\"}")
                .post("/api/profiles/identify").then().statusCode(200)
                .body("customerId", equalTo(customer)).body("created", equalTo(false));
        // one ProfileRegistered for the prospect
        assertThat(KafkaTestClient.read(Topics.PROFILE, r -> customer.equals(r.key()), 2, Duration.ofSeconds(5))).hasSize(1);
    }

    @Test
    void aRepeatedBatchChangesNothingAndTheIdempotencyKeyReplaysTheFirstAnswer() {
        UUID customer = Fixtures.registerCustomer();
        String body = Fixtures.order(customer, "IK-" + UUID.randomUUID(), "30.00");
        String key = UUID.randomUUID().toString();
        Response first = post(body, key);
        first.then().statusCode(200).body("accepted", equalTo(1)).header("Idempotent-Replayed", nullValue());
        post(body, key).then().statusCode(200).header("Idempotent-Replayed", equalTo("true"))
                .body("accepted", equalTo(1)).body("results[0].id", equalTo((String) first.path("results[0].id")));
        // without the key the per-event id still recognises the repeat
        post(body, null).then().statusCode(200).body("duplicates", equalTo(1)).body("accepted", equalTo(0));
        // the same key with another body is refused
        post(Fixtures.order(customer, "IK-other-" + UUID.randomUUID(), "1.00"), key).then().statusCode(422)
                .contentType("application/problem+json");
        assertThat(KafkaTestClient.read(Topics.ACTIVITY, r -> customer.toString().equals(r.key()), 2, Duration.ofSeconds(5)))
                .hasSize(1);
    }

    @Test
    void identifyCreatesAProspectLinksNewIdentifiersAndIgnoresPlaceholders() {
        String crm = "CRM-" + UUID.randomUUID();
        String created = given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{\"identifiers\":[{\"type\":\"crm_id\",\"value\":\"" + crm + "\"},{\"type\":\"phone\",\"value\":\"anonymous\"}],\"source\":\"crm\"}")
                .post("/api/profiles/identify").then().statusCode(200)
                .body("created", equalTo(true)).body("linked", hasItem("crm_id"))
                .body("ignored[0].reason", equalTo("blocked placeholder value"))
                .extract().path("customerId");
        // a second crm id exceeds the limit of one per profile
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{\"identifiers\":[{\"type\":\"crm_id\",\"value\":\"" + crm + "\"},{\"type\":\"crm_id\",\"value\":\"" + crm + "-2\"}],\"source\":\"crm\"}")
                .post("/api/profiles/identify").then().statusCode(200)
                .body("customerId", equalTo(created)).body("created", equalTo(false))
                .body("ignored[0].type", equalTo("crm_id"));
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("{\"identifiers\":[{\"type\":\"email\",\"value\":\"null\"}],\"source\":\"crm\"}")
                .post("/api/profiles/identify").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.bearer("marketer")).contentType(ContentType.JSON)
                .body("{\"identifiers\":[{\"type\":\"crm_id\",\"value\":\"" + crm + "\"}],\"source\":\"crm\"}")
                .post("/api/profiles/identify").then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("pii-reader")).get("/api/profiles/" + created).then().statusCode(200)
                .body("identifiers.value", hasItem(crm)).body("id", notNullValue());
    }

    @Test
    void concurrentBatchesThatShareNewIdentifiersAllSucceedWithOneCustomerPerIdentifier() throws Exception {
        String run = UUID.randomUUID().toString();
        List<String> emails = IntStream.range(0, 20).mapToObj(i -> "race-" + i + "-" + run + "@example.com").toList();
        // eight batches, each naming all twenty new e-mails: they race to create the same prospects
        List<java.util.concurrent.Callable<Response>> batches = IntStream.range(0, 8).<java.util.concurrent.Callable<Response>>mapToObj(b -> () -> post(
                Fixtures.batch(emails.stream().map(email -> Fixtures.orderEvent("\"identifiers\":[{\"type\":\"email\",\"value\":\""
                        + email + "\"}]", "R" + b + "-" + email, "5.00")).toArray(String[]::new)), null)).toList();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (java.util.concurrent.Future<Response> done : pool.invokeAll(batches)) {
                done.get().then().statusCode(200).body("accepted", equalTo(20));
            }
        } finally {
            pool.shutdown();
        }
        for (String email : emails) {
            given().auth().oauth2(TestTokens.bearer("admin")).queryParam("identifier", "email:" + email)
                    .get("/api/profiles").then().statusCode(200).body("items.size()", equalTo(1));
        }
    }

    @Test
    void anEventFromANewSourceSystemAddsItToTheProfile() {
        UUID customer = Fixtures.registerCustomer(); // registered from the crm
        post(Fixtures.order(customer, "SRC-" + UUID.randomUUID(), "8.00"), null).then().statusCode(200)
                .body("accepted", equalTo(1));
        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + customer).then().statusCode(200)
                .body("sourceSystems", equalTo(List.of("crm", "pos"))).body("version", equalTo(1));
        List<ConsumerRecord<String, String>> updates = KafkaTestClient.read(Topics.PROFILE, r -> customer.toString()
                .equals(r.key()) && EventType.PROFILE_UPDATED.type().equals(KafkaTestClient.header(r, "ce_type")), 1,
                Duration.ofSeconds(30));
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).value()).contains("\"changedFields\":[\"sourceSystems\"]");
        // a second event from the same source changes nothing more
        post(Fixtures.order(customer, "SRC-" + UUID.randomUUID(), "9.00"), null).then().statusCode(200);
        given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + customer).then().statusCode(200)
                .body("version", equalTo(1));
    }
}
