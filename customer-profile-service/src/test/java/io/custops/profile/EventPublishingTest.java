package io.custops.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.events.Topics;
import io.custops.local.testing.CustopsTestInfra;
import io.custops.local.testing.KafkaTestClient;
import io.custops.local.testing.TestTokens;
import io.custops.platform.outbox.OutboxRelay;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

@QuarkusTest
class EventPublishingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    OutboxRelay relay;

    @Test
    void profileRegisteredIsABinaryCloudEventKeyedByCustomerThatMatchesItsSchema() throws Exception {
        UUID customer = Fixtures.registerCustomer();
        ConsumerRecord<String, String> record = single(Topics.PROFILE, customer);
        assertThat(record.key()).isEqualTo(customer.toString());
        assertThat(KafkaTestClient.header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(KafkaTestClient.header(record, "ce_type")).isEqualTo(EventType.PROFILE_REGISTERED.type());
        assertThat(KafkaTestClient.header(record, "ce_source")).isEqualTo("/custops/customer-profile-service");
        assertThat(KafkaTestClient.header(record, "ce_subject")).isEqualTo(customer.toString());
        assertThat(KafkaTestClient.header(record, "ce_id")).isNotBlank();
        assertThat(KafkaTestClient.header(record, "ce_time")).isNotBlank();
        assertThat(KafkaTestClient.header(record, "content-type")).isEqualTo("application/json");
        assertThat(EventSchemas.violations(EventType.PROFILE_REGISTERED.type(), record.value())).isEmpty();
        JsonNode data = JSON.readTree(record.value());
        assertThat(data.path("source").asText()).isEqualTo("crm");
        assertThat(record.value()).doesNotContain("Ada").doesNotContain("@example.com");
    }

    @Test
    void ofTheBirthdayOnlyMonthAndDayTravelOnRegistrationAndOnChange() throws Exception {
        String id = given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                .body("""
                        {"identifiers":[{"type":"email","value":"b-%s@example.com"}],"birthday":"1990-03-14","source":"crm"}
                        """.formatted(UUID.randomUUID()))
                .post("/api/profiles").then().statusCode(201).extract().path("id");
        UUID customer = UUID.fromString(id);
        ConsumerRecord<String, String> registered = single(Topics.PROFILE, customer);
        assertThat(JSON.readTree(registered.value()).path("birthdayMonthDay").asText()).isEqualTo("03-14");
        assertThat(registered.value()).doesNotContain("1990");
        assertThat(EventSchemas.violations(EventType.PROFILE_REGISTERED.type(), registered.value())).isEmpty();

        String etag = given().auth().oauth2(TestTokens.bearer("admin")).get("/api/profiles/" + id).then().extract().header("ETag");
        given().auth().oauth2(TestTokens.bearer("admin")).contentType("application/merge-patch+json").header("If-Match", etag)
                .body("{\"birthday\":\"1991-12-02\"}").patch("/api/profiles/" + id).then().statusCode(200);
        List<ConsumerRecord<String, String>> events = KafkaTestClient.read(Topics.PROFILE, r -> id.equals(r.key()), 2, WAIT);
        JsonNode updated = JSON.readTree(events.get(1).value());
        assertThat(updated.path("changedFields").toString()).contains("birthday");
        assertThat(updated.path("birthdayMonthDay").asText()).isEqualTo("12-02");
        assertThat(EventSchemas.violations(EventType.PROFILE_UPDATED.type(), events.get(1).value())).isEmpty();
    }

    @Test
    void orderPlacedMatchesItsSchemaAndAReplayedOrderIsPublishedOnce() {
        UUID customer = Fixtures.registerCustomer();
        String order = Fixtures.order(customer, "ORD-" + UUID.randomUUID(), "129.90");
        String eventId = given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON).body(order)
                .post("/api/events").then().statusCode(200).body("accepted", equalTo(1))
                .body("results[0].status", equalTo("accepted")).extract().path("results[0].id");
        given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON).body(order)
                .post("/api/events").then().statusCode(200).body("duplicates", equalTo(1))
                .body("results[0].status", equalTo("duplicate")).body("results[0].id", equalTo(eventId));

        ConsumerRecord<String, String> record = single(Topics.ACTIVITY, customer);
        assertThat(KafkaTestClient.header(record, "ce_id")).isEqualTo(eventId);
        assertThat(EventSchemas.violations(EventType.ORDER_PLACED.type(), record.value())).isEmpty();
        // a second record would have arrived with the first: read again, still one
        assertThat(KafkaTestClient.read(Topics.ACTIVITY, r -> customer.toString().equals(r.key()), 2, Duration.ofSeconds(3)))
                .hasSize(1);
    }

    @Test
    void oneCustomersEventsKeepTheirOrder() {
        UUID customer = Fixtures.registerCustomer();
        List<String> orderIds = IntStream.range(0, 20).mapToObj(i -> "SEQ-" + customer + "-" + i).toList();
        for (String orderId : orderIds) {
            given().auth().oauth2(TestTokens.bearer("integrator")).contentType(ContentType.JSON)
                    .body(Fixtures.order(customer, orderId, "5.00")).post("/api/events").then().statusCode(200)
                    .body("accepted", equalTo(1));
        }
        List<String> published = KafkaTestClient.read(Topics.ACTIVITY, r -> customer.toString().equals(r.key()), 20, WAIT)
                .stream().map(r -> readOrderId(r.value())).toList();
        assertThat(published).containsExactlyElementsOf(orderIds);
    }

    @Test
    void eventsCommittedWhileTheRelayIsDownArePublishedWhenItComesBack() throws Exception {
        relay.pause();
        UUID customer;
        try {
            customer = Fixtures.registerCustomer();
            assertThat(outboxRowsFor(customer)).isEqualTo(1);
            assertThat(KafkaTestClient.read(Topics.PROFILE, r -> customer.toString().equals(r.key()), 1, Duration.ofSeconds(2)))
                    .isEmpty();
        } finally {
            relay.resume();
        }
        single(Topics.PROFILE, customer);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> outboxRowsFor(customer) == 0);
    }

    private static ConsumerRecord<String, String> single(String topic, UUID customer) {
        List<ConsumerRecord<String, String>> records = KafkaTestClient.read(topic, r -> customer.toString().equals(r.key()), 1, WAIT);
        assertThat(records).as("event for %s on %s", customer, topic).hasSize(1);
        return records.get(0);
    }

    private static String readOrderId(String json) {
        try {
            return JSON.readTree(json).path("orderId").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int outboxRowsFor(UUID customer) throws SQLException {
        try (Connection connection = DriverManager.getConnection(System.getProperty(CustopsTestInfra.JDBC_PROPERTY), "custops", "custops");
                var statement = connection.prepareStatement("SELECT count(*) FROM outbox_event WHERE subject = ?")) {
            statement.setString(1, customer.toString());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
