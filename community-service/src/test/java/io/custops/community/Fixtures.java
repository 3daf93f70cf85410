package io.custops.community;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.local.testing.KafkaTestClient;
import io.custops.local.testing.TestSql;
import io.custops.local.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Customer events as the profile service publishes them, the programme's rules, and what the ledger holds. */
final class Fixtures {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String MANAGER = TestTokens.bearer("community-manager");

    private Fixtures() {
    }

    /** The programme's one order rule: a point per euro spent (created once per test run). */
    static void pointPerEuro() {
        if (TestSql.value("SELECT id FROM earn_rule WHERE name = 'A point per euro'") == null) {
            given().auth().oauth2(MANAGER).contentType(ContentType.JSON)
                    .body("{\"name\":\"A point per euro\",\"kind\":\"order\",\"currency\":\"EUR\",\"pointsPerUnit\":1}")
                    .post("/api/loyalty/earn-rules").then().statusCode(org.hamcrest.Matchers.oneOf(201, 409));
        }
    }

    /** Publishes an OrderPlaced; returns its CloudEvent id (to deliver it again). */
    static String order(UUID customer, String orderId, String euros, Instant placedAt) {
        String eventId = UUID.randomUUID().toString();
        send(Topics.ACTIVITY, customer, eventId, EventType.ORDER_PLACED, """
                {"customerId":"%s","orderId":"%s","placedAt":"%s","amount":{"value":"%s","currency":"EUR"},"source":"pos"}"""
                .formatted(customer, orderId, placedAt, euros));
        return eventId;
    }

    /** The same OrderPlaced delivered again under the given CloudEvent id. */
    static void orderAgain(String eventId, UUID customer, String orderId, String euros, Instant placedAt) {
        send(Topics.ACTIVITY, customer, eventId, EventType.ORDER_PLACED, """
                {"customerId":"%s","orderId":"%s","placedAt":"%s","amount":{"value":"%s","currency":"EUR"},"source":"pos"}"""
                .formatted(customer, orderId, placedAt, euros));
    }

    static void refund(UUID customer, String orderId, String refundId, String euros) {
        send(Topics.ACTIVITY, customer, UUID.randomUUID().toString(), EventType.ORDER_REFUNDED, """
                {"customerId":"%s","orderId":"%s","refundId":"%s","refundedAt":"%s","amount":{"value":"%s","currency":"EUR"},"source":"pos"}"""
                .formatted(customer, orderId, refundId, Instant.now(), euros));
    }

    static void interaction(UUID customer, String type) {
        send(Topics.ACTIVITY, customer, UUID.randomUUID().toString(), EventType.INTERACTION_RECORDED, """
                {"customerId":"%s","interactionId":"%s","interactionType":"%s","occurredAt":"%s","source":"app"}"""
                .formatted(customer, UUID.randomUUID(), type, Instant.now()));
    }

    static void registered(UUID customer, Instant at) {
        send(Topics.PROFILE, customer, UUID.randomUUID().toString(), EventType.PROFILE_REGISTERED, """
                {"customerId":"%s","registeredAt":"%s","source":"app","registrationChannel":"app","locale":"en","region":null}"""
                .formatted(customer, at));
    }

    /** Segmentation announces the customer's value tier. */
    static void tier(UUID customer, String tier) {
        send(Topics.SEGMENTATION, customer, UUID.randomUUID().toString(), EventType.TIER_CHANGED, """
                {"customerId":"%s","from":null,"to":"%s","valueScore":4.2,"changedAt":"%s","reason":"test","modelVersion":1}"""
                .formatted(customer, tier, Instant.now()));
        await().atMost(WAIT).until(() -> tier.equals(TestSql.value("SELECT tier FROM customer_value WHERE customer_id = ?", customer)));
    }

    static void erased(UUID customer) {
        send(Topics.PROFILE, customer, UUID.randomUUID().toString(), EventType.PROFILE_ERASED,
                "{\"customerId\":\"%s\",\"erasedAt\":\"%s\"}".formatted(customer, Instant.now()));
    }

    static void merged(UUID survivor, UUID merged) {
        send(Topics.PROFILE, merged, UUID.randomUUID().toString(), EventType.PROFILES_MERGED, """
                {"survivorId":"%s","mergedId":"%s","mergeId":"%s","mergedAt":"%s","reason":"same e-mail"}"""
                .formatted(survivor, merged, UUID.randomUUID(), Instant.now()));
    }

    private static void send(String topic, UUID customer, String eventId, EventType type, String data) {
        KafkaTestClient.send(topic, customer.toString(), data, KafkaTestClient.cloudEventHeaders(eventId, type.type(), customer));
    }

    /** Credits available points by an audited adjustment. */
    static void credit(UUID customer, int points) {
        given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("{\"points\":%d,\"note\":\"test credit\"}".formatted(points))
                .post("/api/loyalty/customers/" + customer + "/points/adjustments").then().statusCode(201);
    }

    static JsonPath balance(UUID customer) {
        return given().auth().oauth2(MANAGER).get("/api/loyalty/customers/" + customer + "/points").then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the customer's balance field has the value. */
    static void awaitPoints(UUID customer, String field, long points) {
        await().atMost(WAIT).until(() -> balance(customer).getLong(field) == points);
    }

    /** A reward; null stock is unlimited. */
    static String reward(int price, Integer stock, Integer perMemberLimit, List<String> tiers) {
        return given().auth().oauth2(MANAGER).contentType(ContentType.JSON).body("""
                {"name":"Reward %s","pointsPrice":%d,"stock":%s,"perMemberLimit":%s,"allowedTiers":%s}""".formatted(UUID.randomUUID(), price,
                stock, perMemberLimit, tiers.isEmpty() ? "[]" : "[\"" + String.join("\",\"", tiers) + "\"]"))
                .post("/api/loyalty/rewards").then().statusCode(201).extract().path("id");
    }

    /** Asserts that exactly {@code n} events of the type about the customer are on the community topic (a short look for more). */
    static void exactly(EventType type, UUID customer, int n) {
        List<ConsumerRecord<String, String>> found = KafkaTestClient.read(Topics.COMMUNITY, r -> customer.toString().equals(r.key())
                && type.type().equals(KafkaTestClient.header(r, "ce_type")), n + 1, Duration.ofSeconds(3));
        org.assertj.core.api.Assertions.assertThat(found).as(type.type()).hasSize(n);
    }

    /** Events of a type about the customer on the community topic (waits for at least {@code atLeast}). */
    static List<ConsumerRecord<String, String>> events(EventType type, UUID customer, int atLeast) {
        return KafkaTestClient.read(Topics.COMMUNITY, r -> customer.toString().equals(r.key())
                && type.type().equals(KafkaTestClient.header(r, "ce_type")), atLeast, WAIT);
    }
}
