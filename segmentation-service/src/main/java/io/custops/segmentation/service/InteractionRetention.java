package io.custops.segmentation.service;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps {@code interaction_fact} bounded (interactions are most of a billion events a year): facts older than
 * {@code custops.segmentation.interaction-retention} (default 400 days, beyond every rollup window) are deleted in
 * small batches every hour. Rollups keep the last interaction and last login they saw, so pruning never moves them;
 * segment conditions on interactions can look back as far as the retention.
 */
@ApplicationScoped
public class InteractionRetention {
    private static final int BATCH = 10_000;

    private final Pool pool;
    private final Duration retention;

    public InteractionRetention(Pool pool,
            @ConfigProperty(name = "custops.segmentation.interaction-retention", defaultValue = "400d") Duration retention) {
        this.pool = pool;
        this.retention = retention;
    }

    @Scheduled(every = "1h", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> hourly() {
        return prune().replaceWithVoid();
    }

    /** Deletes expired interaction facts; returns how many. */
    public Uni<Long> prune() {
        return pool.preparedQuery("DELETE FROM interaction_fact WHERE ctid IN (SELECT ctid FROM interaction_fact"
                + " WHERE occurred_at < now() - make_interval(secs => $1) LIMIT " + BATCH + ")")
                .execute(Tuple.of((double) retention.toSeconds()))
                .flatMap(result -> result.rowCount() == BATCH ? prune().map(more -> more + BATCH)
                        : Uni.createFrom().item((long) result.rowCount()));
    }
}
