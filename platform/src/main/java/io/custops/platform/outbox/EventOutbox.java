package io.custops.platform.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.events.EventType;
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

    /** Adds an event about {@code customerId} to the current transaction. */
    public Uni<UUID> record(EventType type, UUID customerId, Object data) {
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
            return Uni.createFrom().failure(new IllegalArgumentException("event data is not serialisable", e));
        }
        return repository.persist(event).replaceWith(event.eventId);
    }
}
