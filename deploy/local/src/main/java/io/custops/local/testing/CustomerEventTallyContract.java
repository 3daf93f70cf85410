package io.custops.local.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.custops.events.EventType;
import io.custops.events.Topics;

/**
 * The contract of a service that tallies profile and activity events (custops-platform's
 * {@code CustomerEventTally}): a service's {@code @QuarkusTest} extends this class to prove it is wired to
 * the real broker, counts each event once, and dead-letters poison without stalling.
 */
public abstract class CustomerEventTallyContract {
    private static final String PROFILE = Topics.PROFILE;
    private static final String ACTIVITY = Topics.ACTIVITY;
    private static final String REGISTERED = EventType.PROFILE_REGISTERED.type();
    private static final String ORDER = EventType.ORDER_PLACED.type();

    @Test
    void countsEachEventOnceAndSurvivesPoison() {
        UUID customer = UUID.randomUUID();
        String key = customer.toString();
        KafkaTestClient.send(PROFILE, key, """
                {"customerId":"%s","registeredAt":"2026-11-01T09:00:00Z","source":"crm"}""".formatted(customer),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), REGISTERED, customer));
        String orderEvent = UUID.randomUUID().toString();
        String order = """
                {"customerId":"%s","orderId":"T-1","placedAt":"2026-11-20T10:00:00Z","amount":{"value":"9.99","currency":"EUR"},"source":"pos"}"""
                .formatted(customer);
        KafkaTestClient.send(ACTIVITY, key, order, KafkaTestClient.cloudEventHeaders(orderEvent, ORDER, customer));
        KafkaTestClient.send(ACTIVITY, key, order, KafkaTestClient.cloudEventHeaders(orderEvent, ORDER, customer));
        KafkaTestClient.send(ACTIVITY, key, "garbage", Map.of());
        KafkaTestClient.send(ACTIVITY, key, order.replace("T-1", "T-2"),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), ORDER, customer));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(1, tally(customer, REGISTERED));
            assertEquals(2, tally(customer, ORDER));
        });
        assertEquals(1, KafkaTestClient.read(Topics.deadLetter(ACTIVITY), r -> key.equals(r.key()), 1, Duration.ofSeconds(30)).size());
    }

    @Test
    void erasureDeletesAndMergesFold() {
        UUID erased = UUID.randomUUID();
        UUID survivor = UUID.randomUUID();
        UUID merged = UUID.randomUUID();
        for (UUID customer : new UUID[] { erased, survivor, merged }) {
            KafkaTestClient.send(PROFILE, customer.toString(), """
                    {"customerId":"%s","registeredAt":"2026-11-01T09:00:00Z","source":"crm"}""".formatted(customer),
                    KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), REGISTERED, customer));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(1, tally(merged, REGISTERED)));
        KafkaTestClient.send(PROFILE, erased.toString(), """
                {"customerId":"%s","erasedAt":"2026-11-22T09:00:00Z"}""".formatted(erased),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.PROFILE_ERASED.type(), erased));
        KafkaTestClient.send(PROFILE, merged.toString(), """
                {"survivorId":"%s","mergedId":"%s","mergeId":"%s","mergedAt":"2026-11-22T09:00:00Z","reason":"test"}"""
                .formatted(survivor, merged, UUID.randomUUID()),
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), EventType.PROFILES_MERGED.type(), merged));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(0, tally(erased, REGISTERED));
            assertEquals(0, tally(merged, REGISTERED));
            assertEquals(2, tally(survivor, REGISTERED));
        });
    }

    private static long tally(UUID customer, String type) throws SQLException {
        try (Connection connection = DriverManager.getConnection(System.getProperty(CustopsTestInfra.JDBC_PROPERTY),
                "custops", "custops");
                var statement = connection.prepareStatement(
                        "SELECT events FROM customer_event_tally WHERE customer_id = ? AND event_type = ?")) {
            statement.setObject(1, customer);
            statement.setString(2, type);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
