package io.custops.platform.consumer;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.arc.properties.IfBuildProperty;
import io.custops.events.EventType;
import io.custops.events.payload.ProfilesMerged;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts, per customer and event type, the profile and activity events a service consumes; an erased customer's
 * counts are deleted and a merged customer's are folded into the survivor's. It is the wiring
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
        if (EventType.PROFILE_ERASED.type().equals(event.type())) {
            return NativeSql.execute("DELETE FROM customer_event_tally WHERE customer_id = :customer",
                    Map.of("customer", event.subject())).replaceWithVoid();
        }
        if (EventType.PROFILES_MERGED.type().equals(event.type())) {
            ProfilesMerged merged = event.data(ProfilesMerged.class);
            Map<String, Object> ids = Map.of("survivor", merged.survivorId(), "merged", merged.mergedId());
            return NativeSql.execute("""
                    INSERT INTO customer_event_tally (customer_id, event_type, events, last_seen_at)
                    SELECT :survivor, event_type, events, last_seen_at FROM customer_event_tally WHERE customer_id = :merged
                    ON CONFLICT (customer_id, event_type) DO UPDATE SET events = customer_event_tally.events + excluded.events,
                        last_seen_at = greatest(customer_event_tally.last_seen_at, excluded.last_seen_at)""", ids)
                    .flatMap(x -> NativeSql.execute("DELETE FROM customer_event_tally WHERE customer_id = :merged", ids))
                    .replaceWithVoid();
        }
        return NativeSql.execute("""
                INSERT INTO customer_event_tally (customer_id, event_type, events, last_seen_at)
                VALUES (:customer, :type, 1, now())
                ON CONFLICT (customer_id, event_type)
                DO UPDATE SET events = customer_event_tally.events + 1, last_seen_at = now()""",
                Map.of("customer", event.subject(), "type", event.type()))
                .replaceWithVoid();
    }
}
