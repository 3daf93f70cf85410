package io.custops.campaign;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.custops.local.testing.CustopsTestInfra;
import io.custops.local.testing.KafkaTestClient;
import io.custops.local.infra.Postgres;
import io.quarkus.test.junit.QuarkusTest;

/** IdempotentConsumer's batch path: one event that its handler refuses does not cost the others in its batch. */
@QuarkusTest
class BatchFallbackTest {

    @Test
    void aRefusedEventIsDeadLetteredAndTheRestOfItsBatchIsApplied() throws Exception {
        List<UUID> customers = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        UUID refused = customers.get(1);
        // one key, one producer request: the consumer polls them as one batch
        KafkaTestClient.sendAll(FailingProbeConsumer.TOPIC, customers.stream().map(customer -> new KafkaTestClient.Outgoing(
                "same-partition", customer.equals(refused) ? "{\"fail\":true}" : "{\"fail\":false}",
                KafkaTestClient.cloudEventHeaders(UUID.randomUUID().toString(), FailingProbeConsumer.TYPE, customer))).toList());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (UUID customer : customers) {
                assertThat(count(customer)).as(customer.toString()).isEqualTo(customer.equals(refused) ? 0 : 1);
            }
        });
        assertThat(KafkaTestClient.read(FailingProbeConsumer.TOPIC + ".dlq",
                r -> refused.toString().equals(KafkaTestClient.header(r, "ce_subject")), 1, Duration.ofSeconds(30))).hasSize(1);
    }

    private static long count(UUID customer) throws Exception {
        try (Connection c = DriverManager.getConnection(System.getProperty(CustopsTestInfra.JDBC_PROPERTY), Postgres.USER,
                Postgres.PASSWORD);
                PreparedStatement s = c.prepareStatement(
                        "SELECT coalesce(sum(events), 0) FROM customer_event_tally WHERE customer_id = ? AND event_type = ?")) {
            s.setObject(1, customer);
            s.setString(2, FailingProbeConsumer.TYPE);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
