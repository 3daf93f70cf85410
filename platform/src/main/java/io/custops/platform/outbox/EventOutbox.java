package io.custops.platform.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.events.EventType;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records domain events in the transactional outbox. Call it inside the transaction that makes the state
 * change ({@code Panache.withTransaction} or {@code @WithTransaction}): the event is committed or rolled back
 * together with the change, and {@link OutboxRelay} publishes it afterwards.
 */
@ApplicationScoped
public class EventOutbox {
    private final OutboxRepository repository;
    private final ObjectMapper mapper;
    private final EventSource source;
    private final Clock clock;

    public EventOutbox(OutboxRepository repository, ObjectMapper mapper, EventSource source, Clock clock) {
        this.repository = repository;
        this.mapper = mapper;
        this.source = source;
        this.clock = clock;
    }

    /** Adds an event about {@code customerId} to the current transaction; returns its CloudEvent id. */
    public Uni<UUID> record(EventType type, UUID customerId, Object data) {
        OutboxEvent event = prepare(type, customerId, data);
        return repository.persist(event).replaceWith(event.eventId);
    }

    /** An event ready to record, with its CloudEvent id assigned, for {@link #recordAll(List)}. */
    public OutboxEvent prepare(EventType type, UUID customerId, Object data) {
        OutboxEvent event = new OutboxEvent();
        event.eventId = UUID.randomUUID();
        event.type = type.type();
        event.topic = type.topic();
        event.subject = customerId.toString();
        event.source = source.uri();
        event.occurredAt = Instant.now(clock);
        try {
            event.data = mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not serialisable", e);
        }
        return event;
    }

    /** Adds many prepared events to the current transaction, in list order, in one statement. */
    public Uni<Void> recordAll(List<OutboxEvent> events) {
        List<Map<String, Object>> rows = new ArrayList<>(events.size());
        for (OutboxEvent e : events) {
            rows.add(NativeSql.params("event_id", e.eventId, "type", e.type, "topic", e.topic, "subject", e.subject,
                    "source", e.source, "occurred_at", e.occurredAt, "data", e.data));
        }
        return NativeSql.insertRows("outbox_event", COLUMNS, rows, "").replaceWithVoid();
    }

    private static final List<String> COLUMNS = List.of("event_id", "type", "topic", "subject", "source", "occurred_at", "data");
}
