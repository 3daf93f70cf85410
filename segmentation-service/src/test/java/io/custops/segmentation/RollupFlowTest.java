package io.custops.segmentation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.local.testing.KafkaTestClient;
import io.custops.local.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RollupFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void registrationThenOrderMovesTheStageAndPublishesSchemaValidStageChanges() {
        UUID customer = UUID.randomUUID();
        Events.registered(customer);
        awaitScore(customer, "acquisition", 0);

        Events.order(customer, UUID.randomUUID().toString(), "A-1", "129.90", "2026-11-20T10:00:00Z");
        awaitScore(customer, "activation", 1);
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + customer).then()
                .body("monetaryTotal", equalTo(129.9f)).body("currency", equalTo("EUR"))
                .body("lastOrderAt", equalTo("2026-11-20T10:00:00Z"))
                .body("registeredAt", equalTo("2026-11-01T09:00:00Z"));

        List<ConsumerRecord<String, String>> changes = KafkaTestClient.read(Topics.SEGMENTATION,
                r -> customer.toString().equals(r.key()), 2, WAIT);
        assertThat(changes).hasSize(2);
        for (ConsumerRecord<String, String> change : changes) {
            assertThat(KafkaTestClient.header(change, "ce_type")).isEqualTo(EventType.LIFECYCLE_STAGE_CHANGED.type());
            assertThat(EventSchemas.violations(EventType.LIFECYCLE_STAGE_CHANGED.type(), change.value())).isEmpty();
        }
        assertThat(changes.get(0).value()).contains("\"from\":null").contains("\"to\":\"acquisition\"");
        assertThat(changes.get(1).value()).contains("\"from\":\"acquisition\"").contains("\"to\":\"activation\"");
    }

    @Test
    void theSameEventDeliveredTwiceCountsOnce() {
        UUID customer = UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        Events.order(customer, eventId, "D-1", "10.00", "2026-11-20T10:00:00Z");
        Events.order(customer, eventId, "D-1", "10.00", "2026-11-20T10:00:00Z");
        // same key, same partition: once the next order counts, the redelivery has been handled
        Events.order(customer, UUID.randomUUID().toString(), "D-2", "5.00", "2026-11-21T10:00:00Z");
        awaitScore(customer, "activation", 2);
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + customer).then()
                .body("monetaryTotal", equalTo(15.0f));
    }

    @Test
    void ordersBeforeRegistrationAreKeptAndTheStageNeverMovesBack() {
        UUID customer = UUID.randomUUID();
        Events.order(customer, UUID.randomUUID().toString(), "E-2", "20.00", "2026-11-22T10:00:00Z");
        Events.order(customer, UUID.randomUUID().toString(), "E-1", "30.00", "2026-11-02T10:00:00Z");
        awaitScore(customer, "activation", 2);
        Events.registered(customer);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + customer).then().statusCode(200)
                .body("registeredAt", equalTo("2026-11-01T09:00:00Z"))
                .body("lifecycleStage", equalTo("activation"))
                .body("firstOrderAt", equalTo("2026-11-02T10:00:00Z"))
                .body("lastOrderAt", equalTo("2026-11-22T10:00:00Z")));
    }

    @Test
    void poisonMessagesGoToTheDeadLetterTopicAndTheNextMessageIsProcessed() {
        UUID customer = UUID.randomUUID();
        String key = customer.toString();
        // not a CloudEvent at all
        KafkaTestClient.send(Topics.ACTIVITY, key, "{\"hello\":1}", Map.of());
        // a CloudEvent whose data is not JSON
        KafkaTestClient.send(Topics.ACTIVITY, key, "{oops",
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.ORDER_PLACED.type(), customer));
        // a CloudEvent whose data breaks the OrderPlaced schema
        KafkaTestClient.send(Topics.ACTIVITY, key, "{\"customerId\":\"" + customer + "\",\"orderId\":\"P-1\"}",
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.ORDER_PLACED.type(), customer));
        Events.order(customer, UUID.randomUUID().toString(), "P-2", "7.50", "2026-11-20T10:00:00Z");

        awaitScore(customer, "activation", 1);
        List<ConsumerRecord<String, String>> dead = KafkaTestClient.read(Topics.deadLetter(Topics.ACTIVITY),
                r -> key.equals(r.key()), 3, WAIT);
        assertThat(dead).hasSize(3);
        assertThat(KafkaTestClient.header(dead.get(0), "dead-letter-reason")).isNotBlank();
    }

    @Test
    void scoresNeedATokenAndTheRightRoleAndAMemberSeesOnlyTheirOwn() {
        UUID mine = UUID.randomUUID();
        Events.registered(mine);
        awaitScore(mine, "acquisition", 0);
        given().get("/api/scores/" + mine).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.bearer("community-manager")).get("/api/scores/" + mine).then().statusCode(403);
        given().auth().oauth2(TestTokens.bearer("integrator")).get("/api/scores/" + mine).then().statusCode(403);
        given().auth().oauth2(TestTokens.member(mine)).get("/api/scores/" + mine).then().statusCode(200);
        given().auth().oauth2(TestTokens.member(UUID.randomUUID())).get("/api/scores/" + mine).then().statusCode(404);
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void anErasedCustomerIsGoneAndAMergedOneFoldsIntoTheSurvivor() {
        UUID erased = UUID.randomUUID();
        Events.registered(erased);
        Events.order(erased, UUID.randomUUID().toString(), "X-1", "10.00", "2026-11-20T10:00:00Z");
        awaitScore(erased, "activation", 1);
        Events.erased(erased);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + erased).then().statusCode(404));

        UUID survivor = UUID.randomUUID();
        UUID merged = UUID.randomUUID();
        Events.registered(survivor);
        Events.order(merged, UUID.randomUUID().toString(), "M-1", "30.00", "2026-11-02T10:00:00Z");
        Events.order(merged, UUID.randomUUID().toString(), "M-2", "12.00", "2026-11-25T10:00:00Z");
        awaitScore(survivor, "acquisition", 0);
        awaitScore(merged, "activation", 2);
        Events.merged(survivor, merged);
        awaitScore(survivor, "activation", 2);
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + survivor).then()
                .body("monetaryTotal", equalTo(42.0f)).body("firstOrderAt", equalTo("2026-11-02T10:00:00Z"))
                .body("lastOrderAt", equalTo("2026-11-25T10:00:00Z")).body("registeredAt", equalTo("2026-11-01T09:00:00Z"));
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + merged).then().statusCode(404);
    }

    private static void awaitScore(UUID customer, String stage, int orders) {
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + customer).then().statusCode(200)
                .body("lifecycleStage", equalTo(stage)).body("orderCount", equalTo(orders)));
    }
}
