package io.custops.campaign;

import java.util.Map;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.custops.platform.consumer.IdempotentConsumer;
import io.custops.platform.consumer.IncomingEvent;
import io.custops.platform.consumer.PoisonEventException;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A test consumer whose handler refuses events marked {@code "fail": true} (as a handler does with data it
 * cannot map), so tests can see that a failing event costs its batch nothing but itself.
 */
@ApplicationScoped
public class FailingProbeConsumer {
    static final String TOPIC = "custops.test.probe";
    static final String TYPE = "io.custops.test.Probe.v1";

    private final IdempotentConsumer consumer;

    public FailingProbeConsumer(IdempotentConsumer consumer) {
        this.consumer = consumer;
    }

    @Incoming("probe-events")
    public Uni<Void> onProbes(KafkaRecordBatch<String, String> batch) {
        return consumer.process("probe", batch, IdempotentConsumer.eachInOrder(this::apply));
    }

    private Uni<Void> apply(IncomingEvent event) {
        if (event.data().path("fail").asBoolean()) {
            throw new PoisonEventException("probe " + event.id() + " asked to fail");
        }
        return NativeSql.execute("""
                INSERT INTO customer_event_tally (customer_id, event_type, events, last_seen_at) VALUES (:customer, :type, 1, now())
                ON CONFLICT (customer_id, event_type) DO UPDATE SET events = customer_event_tally.events + 1""",
                Map.of("customer", event.subject(), "type", TYPE)).replaceWithVoid();
    }
}
