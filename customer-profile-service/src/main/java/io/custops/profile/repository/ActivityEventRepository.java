package io.custops.profile.repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.platform.persistence.NativeSql;
import io.custops.profile.domain.ActivityEvent;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ActivityEventRepository implements PanacheRepositoryBase<ActivityEvent, UUID> {

    /** Inserts accepted events in one statement (the batch's hot path: no per-entity work). */
    public Uni<Void> insertAll(List<ActivityEvent> events) {
        List<Map<String, Object>> rows = new ArrayList<>(events.size());
        for (ActivityEvent e : events) {
            rows.add(NativeSql.params("event_id", e.eventId, "dedup_key", e.dedupKey, "type", e.type,
                    "customer_id", e.customerId, "occurred_at", e.occurredAt, "received_at", e.receivedAt,
                    "data", e.data, "comment", e.comment));
        }
        return NativeSql.insertRows("activity_event", COLUMNS, rows, "").replaceWithVoid();
    }

    private static final List<String> COLUMNS = List.of("event_id", "dedup_key", "type", "customer_id", "occurred_at",
            "received_at", "data", "comment");

    /** The events already accepted under these dedup keys, in one query. */
    public Uni<List<ActivityEvent>> findByDedupKeys(Collection<String> keys) {
        return keys.isEmpty() ? Uni.createFrom().item(List.of()) : find("dedupKey in ?1", keys).list();
    }
}
