package io.custops.platform.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
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

    /**
     * Adds many prepared events to the current transaction, in list order: multi-row inserts of up to
     * {@value #ROWS_PER_INSERT} events (entity inserts could not batch: the id is an identity column).
     */
    public Uni<Void> recordAll(List<OutboxEvent> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < events.size(); from += ROWS_PER_INSERT) {
            List<OutboxEvent> slice = events.subList(from, Math.min(events.size(), from + ROWS_PER_INSERT));
            chain = chain.flatMap(x -> insert(slice));
        }
        return chain;
    }

    private static final int ROWS_PER_INSERT = 500;

    private static Uni<Void> insert(List<OutboxEvent> events) {
        StringBuilder sql = new StringBuilder(
                "INSERT INTO outbox_event (event_id, type, topic, subject, source, occurred_at, data) VALUES ");
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            OutboxEvent e = events.get(i);
            sql.append(i == 0 ? "" : ", ").append("(:e").append(i).append(", :t").append(i).append(", :p").append(i)
                    .append(", :s").append(i).append(", :o").append(i).append(", :a").append(i).append(", :d").append(i).append(")");
            params.put("e" + i, e.eventId);
            params.put("t" + i, e.type);
            params.put("p" + i, e.topic);
            params.put("s" + i, e.subject);
            params.put("o" + i, e.source);
            params.put("a" + i, e.occurredAt);
            params.put("d" + i, e.data);
        }
        return NativeSql.execute(sql.toString(), params).replaceWithVoid();
    }
}
