package io.custops.platform.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.platform.persistence.NativeSql;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Processes a Kafka record exactly once per consumer: the CloudEvent id is recorded in {@code processed_event}
 * in the same transaction as the handler's changes, so a redelivered event changes nothing.
 * <p>
 * A record that is not a valid CloudEvent, whose data breaks its type's published JSON Schema, or that the
 * handler cannot map, fails with
 * {@link PoisonEventException} at once; other failures (the database away, a lock conflict) are retried
 * with backoff first. A failure that remains nacks the record, and the channel's
 * {@code failure-strategy=dead-letter-queue} moves it to {@code <topic>.dlq}: the partition never stalls.
 */
@ApplicationScoped
public class IdempotentConsumer {
    private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);

    private final ObjectMapper mapper;
    private final MeterRegistry registry;

    public IdempotentConsumer(ObjectMapper mapper, MeterRegistry registry) {
        this.mapper = mapper;
        this.registry = registry;
    }

    /**
     * @param consumer a stable name for this consumer (its idempotency scope), e.g. "segmentation-profile"
     * @param handler  runs inside the transaction, only for an event this consumer has not processed yet
     */
    public Uni<Void> process(String consumer, ConsumerRecord<String, String> record,
            Function<IncomingEvent, Uni<Void>> handler) {
        IncomingEvent event;
        try {
            event = parse(record);
        } catch (PoisonEventException e) {
            count(consumer, "poison");
            LOG.warnf("poison record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return Uni.createFrom().failure(e);
        }
        return Panache.withTransaction(() -> markProcessed(consumer, event.id())
                .flatMap(first -> first ? handler.apply(event).replaceWith(true) : Uni.createFrom().item(false)))
                .onFailure(failure -> !(failure instanceof PoisonEventException))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(5)
                .invoke(applied -> count(consumer, applied ? "processed" : "duplicate"))
                .onFailure().invoke(failure -> {
                    count(consumer, failure instanceof PoisonEventException ? "poison" : "failed");
                    LOG.warnf("event %s (%s) not processed by %s: %s", event.id(), event.type(), consumer, failure.toString());
                })
                .replaceWithVoid();
    }

    private Uni<Boolean> markProcessed(String consumer, String eventId) {
        return NativeSql.execute("INSERT INTO processed_event (consumer, event_id) VALUES (:consumer, :eventId)"
                + " ON CONFLICT DO NOTHING", Map.of("consumer", consumer, "eventId", eventId))
                .map(inserted -> inserted == 1);
    }

    private IncomingEvent parse(ConsumerRecord<String, String> record) {
        String specVersion = header(record, "ce_specversion");
        if (!"1.0".equals(specVersion)) {
            throw new PoisonEventException("not a CloudEvents 1.0 binary-mode record (ce_specversion=" + specVersion + ")");
        }
        String id = required(record, "ce_id");
        String type = required(record, "ce_type");
        String source = required(record, "ce_source");
        UUID subject;
        OffsetDateTime time;
        try {
            subject = UUID.fromString(required(record, "ce_subject"));
            String rawTime = header(record, "ce_time");
            time = rawTime == null ? null : OffsetDateTime.parse(rawTime);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new PoisonEventException("bad ce_subject or ce_time: " + e.getMessage(), e);
        }
        if (record.value() == null) {
            throw new PoisonEventException("event " + id + " has no data");
        }
        if (EventType.fromType(type).isPresent()) {
            List<String> violations = EventSchemas.violations(type, record.value());
            if (!violations.isEmpty()) {
                throw new PoisonEventException("event " + id + " breaks the " + type + " schema: " + violations);
            }
        }
        JsonNode data;
        try {
            data = mapper.readTree(record.value());
        } catch (JsonProcessingException e) {
            throw new PoisonEventException("event " + id + " data is not JSON: " + e.getOriginalMessage(), e);
        }
        return new IncomingEvent(id, type, source, subject, time, data, record.topic(), record.partition(),
                record.offset(), this::map);
    }

    private <T> T map(IncomingEvent event, Class<T> payloadType) {
        try {
            return mapper.treeToValue(event.data(), payloadType);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PoisonEventException("event " + event.id() + " data does not fit " + event.type() + ": "
                    + e.getMessage(), e);
        }
    }

    private static String required(ConsumerRecord<String, String> record, String name) {
        String value = header(record, name);
        if (value == null || value.isBlank()) {
            throw new PoisonEventException("missing CloudEvents header " + name);
        }
        return value;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void count(String consumer, String outcome) {
        registry.counter("custops.events.consumed", "consumer", consumer, "outcome", outcome).increment();
    }
}
