package io.custops.platform.consumer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.arc.properties.IfBuildProperty;
import io.custops.events.EventType;
import io.custops.events.payload.ProfilesMerged;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
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
    public Uni<Void> onProfileEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("tally-profile", batch, this::count);
    }

    @Incoming("tally-activity-events")
    public Uni<Void> onActivityEvents(KafkaRecordBatch<String, String> batch) {
        return consumer.process("tally-activity", batch, this::count);
    }

    /** Counts in one upsert per run of ordinary events; erasures and merges apply in order between runs. */
    private Uni<Void> count(List<IncomingEvent> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        Map<String, Map<String, Object>> run = new TreeMap<>(); // sorted, so concurrent upserts lock rows in one order
        for (IncomingEvent event : events) {
            if (EventType.PROFILE_ERASED.type().equals(event.type()) || EventType.PROFILES_MERGED.type().equals(event.type())) {
                List<Map<String, Object>> counts = List.copyOf(run.values());
                chain = chain.flatMap(x -> upsert(counts)).flatMap(x -> erasedOrMerged(event));
                run.clear();
            } else {
                run.computeIfAbsent(event.subject() + "/" + event.type(), k -> new HashMap<>(Map.of(
                        "customer_id", event.subject(), "event_type", event.type(), "events", 0)))
                        .merge("events", 1, (a, b) -> (Integer) a + (Integer) b);
            }
        }
        List<Map<String, Object>> counts = List.copyOf(run.values());
        return chain.flatMap(x -> upsert(counts));
    }

    private static Uni<Void> upsert(List<Map<String, Object>> counts) {
        return counts.isEmpty() ? Uni.createFrom().voidItem() : NativeSql.execute("""
                INSERT INTO customer_event_tally (customer_id, event_type, events, last_seen_at)
                SELECT x.customer_id, x.event_type, x.events, now()
                FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) AS x(customer_id uuid, event_type text, events bigint)
                ON CONFLICT (customer_id, event_type)
                DO UPDATE SET events = customer_event_tally.events + excluded.events, last_seen_at = now()""",
                Map.of("rows", NativeSql.json(counts))).replaceWithVoid();
    }

    private Uni<Void> erasedOrMerged(IncomingEvent event) {
        if (EventType.PROFILE_ERASED.type().equals(event.type())) {
            return NativeSql.execute("DELETE FROM customer_event_tally WHERE customer_id = :customer",
                    Map.of("customer", event.subject())).replaceWithVoid();
        }
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
}
