package io.custops.platform.persistence;

import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

import org.hibernate.JDBCException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/**
 * Transactions that concurrent requests may collide in. Two requests that both create the same identifier, or
 * lock the same rows in opposite order, make PostgreSQL abort one of them (unique violation, deadlock,
 * serialization failure); the loser is run again from the start in a fresh transaction, where it sees the
 * winner's committed rows. Anything else fails at once.
 */
public final class Transactions {
    /** unique_violation, serialization_failure, deadlock_detected */
    private static final Set<String> CONFLICTS = Set.of("23505", "40001", "40P01");
    private static final int ATTEMPTS = 4;

    private Transactions() {
    }

    /** Runs {@code work} in a transaction of its own, again when it lost a race to a concurrent transaction. */
    public static <T> Uni<T> withRetriedTransaction(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> Panache.withTransaction(work))
                .onFailure(Transactions::isConflict).retry()
                .withBackOff(Duration.ofMillis(20), Duration.ofMillis(500)).withJitter(0.5).atMost(ATTEMPTS - 1);
    }

    /** Whether this failure is PostgreSQL aborting a transaction that collided with a concurrent one. */
    public static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String state = t instanceof PgException pg ? pg.getSqlState()
                    : t instanceof JDBCException jdbc ? jdbc.getSQLState() : null;
            if (state != null && CONFLICTS.contains(state)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
