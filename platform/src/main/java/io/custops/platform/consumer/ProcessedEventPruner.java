package io.custops.platform.consumer;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps {@code processed_event} bounded: ids older than the retention (far beyond any Kafka redelivery) are
 * deleted in small batches, so the table does not grow with the billions of events of a year.
 */
@ApplicationScoped
public class ProcessedEventPruner {
    private final Pool pool;
    private final Duration retention;

    public ProcessedEventPruner(Pool pool, @ConfigProperty(name = "custops.consumer.processed-retention") Duration retention) {
        this.pool = pool;
        this.retention = retention;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        return pool.preparedQuery("DELETE FROM processed_event WHERE ctid IN (SELECT ctid FROM processed_event"
                + " WHERE processed_at < now() - make_interval(secs => $1) LIMIT 10000)")
                .execute(Tuple.of((double) retention.toSeconds()))
                .flatMap(result -> result.rowCount() == 10000 ? prune() : Uni.createFrom().voidItem());
    }
}
