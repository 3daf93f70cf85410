package io.custops.platform.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * Queues long-running jobs and works them: a worker on every replica claims the oldest open job of a kind it has
 * a {@link BatchJobHandler} for with a lease ({@code FOR UPDATE SKIP LOCKED}), runs its steps one transaction at a
 * time and renews the lease with each. A worker that dies leaves the lease to expire and another carries on from
 * the job's cursor. A step that keeps failing fails the job after three attempts, with the error recorded.
 */
@ApplicationScoped
public class BatchJobs {
    private static final Logger LOG = Logger.getLogger(BatchJobs.class);
    private static final Duration LEASE = Duration.ofSeconds(120);
    private static final int MAX_ATTEMPTS = 3;
    private static final String COLUMNS = "id, kind, reason, params, state, processed, changed, total, error, created_at,"
            + " started_at, finished_at";

    private final Map<String, BatchJobHandler> handlers;
    private final String workerId = "jobs-" + UUID.randomUUID();

    public BatchJobs(Instance<BatchJobHandler> handlers) {
        this.handlers = handlers.stream().collect(Collectors.toMap(BatchJobHandler::kind, Function.identity()));
    }

    /**
     * Queues a job in the current transaction (so it runs only if the caller's change commits). A job of the same
     * kind and parameters still waiting to start covers this request too, and is returned instead.
     */
    public Uni<BatchJob> queue(String kind, String reason, String params) {
        return NativeSql.execute("""
                INSERT INTO batch_job (id, kind, reason, params)
                VALUES (:id, :kind, :reason, :params)
                ON CONFLICT (kind, params) WHERE state = 'queued' DO NOTHING""",
                NativeSql.params("id", UUID.randomUUID(), "kind", kind, "reason", reason, "params", params))
                .flatMap(x -> NativeSql.list("SELECT " + COLUMNS + " FROM batch_job WHERE kind = :kind AND params = :params"
                        + " AND state = 'queued' ORDER BY created_at LIMIT 1", Object[].class,
                        NativeSql.params("kind", kind, "params", params)))
                .map(rows -> toJob(rows.get(0)));
    }

    /** A job of this kind, or a 404 problem. */
    public Uni<BatchJob> get(UUID id, String kind) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM batch_job WHERE id = :id AND kind = :kind", Object[].class,
                NativeSql.params("id", id, "kind", kind))
                .map(rows -> rows.stream().findFirst().map(BatchJobs::toJob)
                        .orElseThrow(() -> ProblemException.notFound("No " + kind + " job " + id + ".")));
    }

    /** The latest jobs of a kind, newest first. */
    public Uni<List<BatchJob>> latest(String kind, int limit) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM batch_job WHERE kind = :kind ORDER BY created_at DESC LIMIT :limit",
                Object[].class, NativeSql.params("kind", kind, "limit", limit))
                .map(rows -> rows.stream().map(BatchJobs::toJob).toList());
    }

    @Scheduled(every = "${custops.jobs.poll-interval:2s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void work() {
        if (handlers.isEmpty()) {
            return;
        }
        try {
            Optional<BatchJob> job;
            while ((job = claim()).isPresent()) {
                run(job.get());
            }
        } catch (Throwable e) {
            LOG.warnf("job worker failed, retrying: %s", e.toString());
        }
    }

    private Optional<BatchJob> claim() throws Throwable {
        List<Object[]> claimed = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> NativeSql.list("""
                UPDATE batch_job SET state = 'running', started_at = coalesce(started_at, now()),
                    lease_owner = :owner, lease_until = now() + make_interval(secs => :lease)
                WHERE id = (SELECT id FROM batch_job WHERE state IN ('queued', 'running') AND kind IN (SELECT jsonb_array_elements_text(CAST(CAST(:kinds AS text) AS jsonb)))
                    AND (lease_until IS NULL OR lease_until < now()) ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
                RETURNING\s""" + COLUMNS, Object[].class,
                NativeSql.params("owner", workerId, "lease", (double) LEASE.toSeconds(), "kinds", NativeSql.json(List.copyOf(handlers.keySet()))))));
        return claimed.stream().findFirst().map(BatchJobs::toJob);
    }

    private void run(BatchJob claimed) throws Throwable {
        BatchJobHandler handler = handlers.get(claimed.kind());
        BatchJob job = claimed;
        if (job.total() == null) {
            Long total = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> handler.total(claimed)));
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> NativeSql.execute(
                    "UPDATE batch_job SET total = :total WHERE id = :id", NativeSql.params("total", total, "id", claimed.id()))));
            job = withTotal(claimed, total);
        }
        BatchJob current = job;
        boolean more = true;
        while (more) {
            try {
                more = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> step(handler, current)));
            } catch (Throwable e) {
                recordFailure(current, e);
                return;
            }
        }
        LOG.infof("%s job %s finished", current.kind(), current.id());
    }

    /** Runs the next step if this worker still holds the lease; returns whether more steps follow. */
    private Uni<Boolean> step(BatchJobHandler handler, BatchJob job) {
        Map<String, Object> owned = NativeSql.params("id", job.id(), "owner", workerId);
        return NativeSql.list("SELECT coalesce(cursor, '') FROM batch_job WHERE id = :id AND lease_owner = :owner"
                + " AND state = 'running' FOR UPDATE", String.class, owned)
                .flatMap(cursor -> cursor.isEmpty() ? Uni.createFrom().item(false)
                        : handler.step(job, cursor.get(0).isEmpty() ? null : cursor.get(0))
                                .flatMap(step -> NativeSql.execute("""
                                        UPDATE batch_job SET cursor = :cursor, processed = processed + :processed,
                                            changed = changed + :changed, attempts = 0,
                                            state = CASE WHEN :done THEN 'completed' ELSE state END,
                                            finished_at = CASE WHEN :done THEN now() END,
                                            lease_until = now() + make_interval(secs => :lease)
                                        WHERE id = :id AND lease_owner = :owner""", NativeSql.with(owned,
                                        "cursor", step.cursor(), "processed", step.processed(), "changed", step.changed(),
                                        "done", step.done(), "lease", (double) LEASE.toSeconds()))
                                        .map(updated -> updated == 1 && !step.done())));
    }

    /**
     * Leaves the step to be retried after a pause that grows with each attempt (here or on another replica), or
     * fails the job for good.
     */
    private void recordFailure(BatchJob job, Throwable failure) throws Throwable {
        LOG.warnf(failure, "%s job %s: step failed", job.kind(), job.id());
        String error = String.valueOf(failure.getMessage());
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> NativeSql.execute("""
                UPDATE batch_job SET attempts = attempts + 1, error = :error, lease_owner = NULL,
                    lease_until = now() + make_interval(secs => 10 * (attempts + 1)),
                    state = CASE WHEN attempts + 1 >= :max THEN 'failed' ELSE state END,
                    finished_at = CASE WHEN attempts + 1 >= :max THEN now() END
                WHERE id = :id AND lease_owner = :owner""", NativeSql.params("error", error.substring(0, Math.min(error.length(), 500)),
                "max", MAX_ATTEMPTS, "id", job.id(), "owner", workerId))));
    }

    private static BatchJob withTotal(BatchJob j, long total) {
        return new BatchJob(j.id(), j.kind(), j.reason(), j.params(), j.state(), j.processed(), j.changed(), total, j.error(),
                j.createdAt(), j.startedAt(), j.finishedAt());
    }

    private static BatchJob toJob(Object[] r) {
        return new BatchJob((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], ((Number) r[5]).longValue(),
                ((Number) r[6]).longValue(), r[7] == null ? null : ((Number) r[7]).longValue(), (String) r[8],
                NativeSql.instant(r[9]), NativeSql.instant(r[10]), NativeSql.instant(r[11]));
    }
}
