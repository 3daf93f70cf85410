package io.custops.platform.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.events.EventSchemas;
import io.custops.events.EventType;
import io.custops.platform.persistence.NativeSql;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Processes Kafka records exactly once per consumer, a polled batch at a time: the CloudEvent ids are recorded in
 * {@code processed_event} in the same transaction as the handler's changes, so a redelivered event changes
 * nothing, and one transaction serves a whole batch (every channel is consumed with {@code batch=true}).
 * <p>
 * A record that is not a valid CloudEvent, or whose data breaks its type's published JSON Schema, is nacked on
 * its own at once, and the channel's {@code failure-strategy=dead-letter-queue} moves it to {@code <topic>.dlq}.
 * When the batch's transaction fails anyway (the handler cannot map an event, the database is away, a lock
 * conflict) it is retried with backoff, then the batch is processed one event per transaction, so that only
 * the events that still fail are dead-lettered: the partition never stalls and no good event is lost.
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

    /** A handler that applies each event on its own, in order, inside the batch's transaction. */
    public static Function<List<IncomingEvent>, Uni<Void>> eachInOrder(Function<IncomingEvent, Uni<Void>> handler) {
        return events -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (IncomingEvent event : events) {
                chain = chain.flatMap(x -> handler.apply(event));
            }
            return chain;
        };
    }

    /**
     * @param consumer a stable name for this consumer (its idempotency scope), e.g. "segmentation-profile"
     * @param handler  runs inside the transaction with the batch's events this consumer has not processed yet,
     *                 in partition order; it may be given fewer events than the batch holds
     */
    public Uni<Void> process(String consumer, KafkaRecordBatch<String, String> batch,
            Function<List<IncomingEvent>, Uni<Void>> handler) {
        List<KafkaRecord<String, String>> records = new ArrayList<>();
        List<IncomingEvent> events = new ArrayList<>();
        List<Uni<Void>> deadLetters = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            try {
                events.add(parse(record));
                records.add(record);
            } catch (PoisonEventException e) {
                count(consumer, "poison", 1);
                LOG.warnf("poison record %s-%d@%d: %s", record.getTopic(), record.getPartition(), offset(record),
                        e.getMessage());
                deadLetters.add(Uni.createFrom().completionStage(() -> record.nack(e)));
            }
        }
        // every transaction runs on the message's own (safe, duplicated) Vert.x context, also after a failure
        // completed on another one
        Context context = Vertx.currentContext();
        Uni<Void> poison = deadLetters.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(deadLetters).andFailFast().replaceWithVoid();
        if (events.isEmpty()) {
            return poison;
        }
        return poison.flatMap(x -> retried(transaction(context, consumer, events, handler)))
                .invoke(applied -> {
                    count(consumer, "processed", applied);
                    count(consumer, "duplicate", events.size() - applied);
                })
                .flatMap(applied -> ackAll(records))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("batch of %d events not processed by %s (%s): processing them one by one", events.size(),
                            consumer, failure.toString());
                    return oneByOne(context, consumer, records, events, handler);
                });
    }

    private Uni<Void> oneByOne(Context context, String consumer, List<KafkaRecord<String, String>> records, List<IncomingEvent> events,
            Function<List<IncomingEvent>, Uni<Void>> handler) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < events.size(); i++) {
            IncomingEvent event = events.get(i);
            KafkaRecord<String, String> record = records.get(i);
            chain = chain.flatMap(x -> retried(transaction(context, consumer, List.of(event), handler))
                    .invoke(applied -> count(consumer, applied == 1 ? "processed" : "duplicate", 1))
                    .flatMap(applied -> Uni.createFrom().completionStage(record::ack))
                    .onFailure().recoverWithUni(failure -> {
                        count(consumer, failure instanceof PoisonEventException ? "poison" : "failed", 1);
                        LOG.warnf("event %s (%s) not processed by %s: %s", event.id(), event.type(), consumer,
                                failure.toString());
                        return Uni.createFrom().completionStage(() -> record.nack(failure));
                    }));
        }
        return chain;
    }

    /** Marks the events processed and applies the new ones, in one transaction; returns how many were new. */
    private static Uni<Integer> transaction(Context context, String consumer, List<IncomingEvent> events,
            Function<List<IncomingEvent>, Uni<Void>> handler) {
        Uni<Integer> work = Uni.createFrom().deferred(() -> Panache.withTransaction(() -> markProcessed(consumer, events)
                .flatMap(fresh -> handler.apply(fresh).replaceWith(fresh.size()))));
        return context == null ? work : work.runSubscriptionOn(command -> context.runOnContext(ignored -> command.run()));
    }

    private static long offset(KafkaRecord<String, String> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> m.getOffset()).orElse(-1L);
    }

    private static <T> Uni<T> retried(Uni<T> work) {
        return work.onFailure(failure -> !(failure instanceof PoisonEventException))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(5);
    }

    private static Uni<Void> ackAll(List<KafkaRecord<String, String>> records) {
        return Uni.join().all(records.stream().map(r -> Uni.createFrom().completionStage(r::ack)).toList())
                .andFailFast().replaceWithVoid();
    }

    /** Records the events' ids; returns the events not processed before, first occurrences only, in order. */
    private static Uni<List<IncomingEvent>> markProcessed(String consumer, List<IncomingEvent> events) {
        List<Map<String, Object>> ids = events.stream().map(e -> Map.<String, Object>of("event_id", e.id())).toList();
        return NativeSql.list("""
                INSERT INTO processed_event (consumer, event_id)
                SELECT :consumer, x.event_id FROM jsonb_to_recordset(CAST(CAST(:ids AS text) AS jsonb)) AS x(event_id text)
                ON CONFLICT DO NOTHING RETURNING event_id""", String.class,
                Map.of("consumer", consumer, "ids", NativeSql.json(ids)))
                .map(inserted -> {
                    Set<String> fresh = new HashSet<>(inserted);
                    return events.stream().filter(e -> fresh.remove(e.id())).toList();
                });
    }

    private IncomingEvent parse(KafkaRecord<String, String> record) {
        Headers headers = record.getHeaders();
        String specVersion = header(headers, "ce_specversion");
        if (!"1.0".equals(specVersion)) {
            throw new PoisonEventException("not a CloudEvents 1.0 binary-mode record (ce_specversion=" + specVersion + ")");
        }
        String id = required(headers, "ce_id");
        String type = required(headers, "ce_type");
        String source = required(headers, "ce_source");
        UUID subject;
        OffsetDateTime time;
        try {
            subject = UUID.fromString(required(headers, "ce_subject"));
            String rawTime = header(headers, "ce_time");
            time = rawTime == null ? null : OffsetDateTime.parse(rawTime);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new PoisonEventException("bad ce_subject or ce_time: " + e.getMessage(), e);
        }
        String value = record.getPayload();
        if (value == null) {
            throw new PoisonEventException("event " + id + " has no data");
        }
        JsonNode data;
        try {
            data = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            throw new PoisonEventException("event " + id + " data is not JSON: " + e.getOriginalMessage(), e);
        }
        Optional<EventType> known = EventType.fromType(type);
        if (known.isPresent()) {
            List<String> violations = EventSchemas.violations(known.get(), data);
            if (!violations.isEmpty()) {
                throw new PoisonEventException("event " + id + " breaks the " + type + " schema: " + violations);
            }
        }
        return new IncomingEvent(id, type, source, subject, time, data, record.getTopic(), record.getPartition(),
                offset(record), this::map);
    }

    private <T> T map(IncomingEvent event, Class<T> payloadType) {
        try {
            return mapper.treeToValue(event.data(), payloadType);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PoisonEventException("event " + event.id() + " data does not fit " + event.type() + ": "
                    + e.getMessage(), e);
        }
    }

    private static String required(Headers headers, String name) {
        String value = header(headers, name);
        if (value == null || value.isBlank()) {
            throw new PoisonEventException("missing CloudEvents header " + name);
        }
        return value;
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void count(String consumer, String outcome, int events) {
        if (events > 0) {
            registry.counter("custops.events.consumed", "consumer", consumer, "outcome", outcome).increment(events);
        }
    }
}
