package io.custops.platform.consumer;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.arc.properties.IfBuildProperty;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts, per customer and event type, the profile and activity events a service consumes. It is the wiring
 * proof of the services whose own domain consumers come later: enabled at build time with
 * {@code custops.tally.enabled=true} and the channels {@code tally-profile-events} and
 * {@code tally-activity-events}.
 */
@ApplicationScoped
@IfBuildProperty(name = "custops.tally.enabled", stringValue = "true")
public class CustomerEventTally {
    private final IdempotentConsumer consumer;

    public CustomerEventTally(IdempotentConsumer consumer) {
        this.consumer = consumer;
    }

    @Incoming("tally-profile-events")
    public Uni<Void> onProfileEvent(ConsumerRecord<String, String> record) {
        return consumer.process("tally-profile", record, this::count);
    }

    @Incoming("tally-activity-events")
    public Uni<Void> onActivityEvent(ConsumerRecord<String, String> record) {
        return consumer.process("tally-activity", record, this::count);
    }

    private Uni<Void> count(IncomingEvent event) {
        return NativeSql.execute("""
                INSERT INTO customer_event_tally (customer_id, event_type, events, last_seen_at)
                VALUES (:customer, :type, 1, now())
                ON CONFLICT (customer_id, event_type)
                DO UPDATE SET events = customer_event_tally.events + 1, last_seen_at = now()""",
                Map.of("customer", event.subject(), "type", event.type()))
                .replaceWithVoid();
    }
}
