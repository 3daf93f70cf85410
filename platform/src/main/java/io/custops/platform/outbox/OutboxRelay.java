package io.custops.platform.outbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Publishes outbox rows to Kafka as CloudEvents 1.0 in binary mode, keyed by customer id.
 * <p>
 * One relay at a time per database holds a transaction-scoped advisory lock, reads the oldest rows in id
 * order, sends them with an idempotent producer, waits for every acknowledgement and only then deletes them
 * in the same transaction. A crash before the delete re-sends the batch (at-least-once; consumers are
 * idempotent) but never loses or reorders a customer's events, and nothing is kept in memory between ticks,
 * so a restarted service simply carries on from the table.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock key: "CUSTOPS" in ASCII; each service has its own database, so one key suffices. */
    private static final long RELAY_LOCK = 0x435553544f5053L;
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final String bootstrapServers;
    private final int batchSize;
    private final AtomicBoolean paused;
    private final Counter published;
    private final Duration pollInterval;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "outbox-relay"));
    private volatile KafkaProducer<String, CloudEvent> producer;

    public OutboxRelay(Pool pool, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "custops.outbox.poll-interval") Duration pollInterval,
            @ConfigProperty(name = "custops.outbox.batch-size", defaultValue = "500") int batchSize,
            @ConfigProperty(name = "custops.outbox.relay-enabled", defaultValue = "true") boolean enabled) {
        this.pool = pool;
        this.bootstrapServers = bootstrapServers;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.paused = new AtomicBoolean(!enabled);
        this.published = Counter.builder("custops.outbox.published")
                .description("Events relayed from the outbox to Kafka").register(registry);
    }

    /** Stops relaying (for maintenance); rows accumulate in the outbox and are sent on {@link #resume()}. */
    public void pause() {
        paused.set(true);
    }

    public void resume() {
        paused.set(false);
    }

    void onStart(@Observes StartupEvent event) {
        // a dedicated thread: the relay blocks on Kafka acknowledgements, and polls more often than the
        // Quarkus scheduler's one-second floor
        executor.scheduleWithFixedDelay(this::tick, 1000, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            while (!paused.get() && relayBatch() == batchSize) {
                // a full batch means more may be waiting: drain before the next tick
            }
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay failed, retrying on the next tick: %s", e.toString());
        }
    }

    /** Relays one batch; returns how many rows were published (0 when another relay holds the lock). */
    int relayBatch() {
        SqlConnection connection = pool.getConnection().await().atMost(DB_TIMEOUT);
        Transaction transaction = null;
        try {
            transaction = connection.begin().await().atMost(DB_TIMEOUT);
            boolean leader = connection.preparedQuery("SELECT pg_try_advisory_xact_lock($1)")
                    .execute(Tuple.of(RELAY_LOCK)).await().atMost(DB_TIMEOUT)
                    .iterator().next().getBoolean(0);
            if (!leader) {
                transaction.rollback().await().atMost(DB_TIMEOUT);
                return 0;
            }
            List<Long> ids = new ArrayList<>();
            List<Future<?>> acks = new ArrayList<>();
            for (Row row : connection.preparedQuery("SELECT id, event_id, type, topic, subject, source, occurred_at, data"
                    + " FROM outbox_event ORDER BY id LIMIT $1").execute(Tuple.of(batchSize)).await().atMost(DB_TIMEOUT)) {
                ids.add(row.getLong("id"));
                acks.add(producer().send(new ProducerRecord<>(row.getString("topic"), row.getString("subject"), toCloudEvent(row))));
            }
            for (Future<?> ack : acks) {
                ack.get(DB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            if (!ids.isEmpty()) {
                connection.preparedQuery("DELETE FROM outbox_event WHERE id = ANY($1)")
                        .execute(Tuple.of(ids.toArray(Long[]::new))).await().atMost(DB_TIMEOUT);
            }
            transaction.commit().await().atMost(DB_TIMEOUT);
            published.increment(ids.size());
            return ids.size();
        } catch (Exception e) {
            if (transaction != null) {
                transaction.rollback().subscribe().with(ignored -> { }, ignored -> { });
            }
            throw new IllegalStateException("outbox batch not relayed", e);
        } finally {
            connection.close().subscribe().with(ignored -> { }, ignored -> { });
        }
    }

    private static CloudEvent toCloudEvent(Row row) {
        return CloudEventBuilder.v1()
                .withId(row.getUUID("event_id").toString())
                .withSource(URI.create(row.getString("source")))
                .withType(row.getString("type"))
                .withSubject(row.getString("subject"))
                .withTime(row.getOffsetDateTime("occurred_at").withOffsetSameInstant(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(row.getString("data").getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private KafkaProducer<String, CloudEvent> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    Properties props = new Properties();
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
                    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
                    props.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-" + UUID.randomUUID());
                    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class.getName());
                    producer = new KafkaProducer<>(props);
                }
            }
        }
        return producer;
    }

    void onStop(@Observes ShutdownEvent event) {
        paused.set(true);
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
