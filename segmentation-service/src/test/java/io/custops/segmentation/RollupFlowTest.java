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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void registrationThenOrderMovesTheStageAndPublishesSchemaValidStageChanges() throws Exception {
        UUID customer = UUID.randomUUID();
        Events.registered(customer);
        awaitScore(customer, "acquisition", 0);

        String placed = Events.ago(3);
        Events.order(customer, UUID.randomUUID().toString(), "A-1", "129.90", placed);
        awaitScore(customer, "conversion", 1);
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + customer).then()
                .body("rollup.monetaryTotal", equalTo(129.9f)).body("rollup.currency", equalTo("EUR"))
                .body("rollup.lastOrderAt", equalTo(placed))
                .body("rollup.registeredAt", equalTo("2026-11-01T09:00:00Z"));

        List<ConsumerRecord<String, String>> changes = KafkaTestClient.read(Topics.SEGMENTATION,
                r -> customer.toString().equals(r.key())
                        && EventType.LIFECYCLE_STAGE_CHANGED.type().equals(KafkaTestClient.header(r, "ce_type")), 2, WAIT);
        assertThat(changes).hasSize(2);
        for (ConsumerRecord<String, String> change : changes) {
            assertThat(KafkaTestClient.header(change, "ce_type")).isEqualTo(EventType.LIFECYCLE_STAGE_CHANGED.type());
            assertThat(EventSchemas.violations(EventType.LIFECYCLE_STAGE_CHANGED.type(), change.value())).isEmpty();
        }
        JsonNode first = JSON.readTree(changes.get(0).value());
        JsonNode second = JSON.readTree(changes.get(1).value());
        assertThat(first.get("from").isNull()).isTrue();
        assertThat(first.get("to").asText()).isEqualTo("acquisition");
        assertThat(second.get("from").asText()).isEqualTo("acquisition");
        assertThat(second.get("to").asText()).isEqualTo("conversion");
        assertThat(second.get("reason").asText()).isEqualTo("first purchase");
    }

    @Test
    void theSameEventDeliveredTwiceCountsOnce() {
        UUID customer = UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        Events.order(customer, eventId, "D-1", "10.00", Events.ago(3));
        Events.order(customer, eventId, "D-1", "10.00", Events.ago(3));
        // same key, same partition: once the next order counts, the redelivery has been handled
        Events.order(customer, UUID.randomUUID().toString(), "D-2", "5.00", Events.ago(2));
        awaitScore(customer, "repurchase", 2);
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + customer).then()
                .body("rollup.monetaryTotal", equalTo(15.0f));
    }

    @Test
    void ordersBeforeRegistrationAndOutOfOrderAreKept() {
        UUID customer = UUID.randomUUID();
        String last = Events.ago(1);
        String first = Events.ago(21);
        Events.order(customer, UUID.randomUUID().toString(), "E-2", "20.00", last);
        Events.order(customer, UUID.randomUUID().toString(), "E-1", "30.00", first);
        awaitScore(customer, "repurchase", 2);
        Events.registered(customer);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + customer).then().statusCode(200)
                .body("rollup.registeredAt", equalTo("2026-11-01T09:00:00Z"))
                .body("lifecycleStage", equalTo("repurchase"))
                .body("rollup.firstOrderAt", equalTo(first))
                .body("rollup.lastOrderAt", equalTo(last))
                .body("rollup.avgInterpurchaseDays", equalTo(20.0f)));
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
        Events.order(customer, UUID.randomUUID().toString(), "P-2", "7.50", Events.ago(3));

        awaitScore(customer, "conversion", 1);
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
        Events.order(erased, UUID.randomUUID().toString(), "X-1", "10.00", Events.ago(3));
        awaitScore(erased, "conversion", 1);
        Events.erased(erased);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + erased).then().statusCode(404));
        // an activity event that was in flight when the erasure arrived does not bring the customer back
        Events.order(erased, UUID.randomUUID().toString(), "X-2", "10.00", Events.ago(1));

        UUID survivor = UUID.randomUUID();
        UUID merged = UUID.randomUUID();
        Events.registered(survivor);
        String first = Events.ago(21);
        String last = Events.ago(2);
        Events.order(merged, UUID.randomUUID().toString(), "M-1", "30.00", first);
        Events.order(merged, UUID.randomUUID().toString(), "M-2", "12.00", last);
        awaitScore(survivor, "acquisition", 0);
        awaitScore(merged, "repurchase", 2);
        Events.merged(survivor, merged);
        awaitScore(survivor, "repurchase", 2);
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + survivor).then()
                .body("rollup.monetaryTotal", equalTo(42.0f)).body("rollup.firstOrderAt", equalTo(first))
                .body("rollup.lastOrderAt", equalTo(last)).body("rollup.registeredAt", equalTo("2026-11-01T09:00:00Z"));
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + merged).then().statusCode(404);
        // the merged customer's stage history now belongs to the survivor
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + survivor + "/lifecycle").then()
                .statusCode(200).body("to", org.hamcrest.Matchers.hasItems("acquisition", "repurchase"));
        // a late order for the merged id counts for the survivor
        Events.order(merged, UUID.randomUUID().toString(), "M-3", "8.00", Events.ago(1));
        awaitScore(survivor, "repurchase", 3);
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + merged).then().statusCode(404);
        given().auth().oauth2(TestTokens.bearer("analyst")).get("/api/scores/" + erased).then().statusCode(404);
    }

    private static void awaitScore(UUID customer, String stage, int orders) {
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.bearer("analyst"))
                .get("/api/scores/" + customer).then().statusCode(200)
                .body("lifecycleStage", equalTo(stage)).body("rollup.orderCount", equalTo(orders)));
    }
}
