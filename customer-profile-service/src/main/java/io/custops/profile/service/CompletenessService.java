package io.custops.profile.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.custops.events.EventType;
import io.custops.events.payload.ProfileUpdated;
import io.custops.platform.jobs.BatchJob;
import io.custops.platform.jobs.BatchJobHandler;
import io.custops.platform.jobs.BatchJobs;
import io.custops.platform.jobs.JobStep;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.profile.rest.dto.CompletenessDtos.Summary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps the stored completeness scores true and measured. The stored score is rewritten set-based in SQL
 * ({@code profile_completeness}, the same rule as {@link Completeness}): for a set of profiles when a request
 * changes them wholesale (merges, splits, imports, new prospects), and for every profile by a recompute job when
 * the attribute schema changes, which announces every changed score as {@code ProfileUpdated}. Jobs are shared
 * safely by replicas (a lease claimed with {@code FOR UPDATE SKIP LOCKED}) and carry on after a restart from the
 * last committed batch of ids.
 * <p>
 * The summary (average, profiles, share at or above 50% and 80%) is refreshed on a schedule and exported as
 * Prometheus gauges {@code custops_profile_completeness_*}, the plans' completeness KPI.
 */
@ApplicationScoped
public class CompletenessService implements BatchJobHandler {
    private static final Logger LOG = Logger.getLogger(CompletenessService.class);
    public static final String KIND = "profile.completeness";
    /** The declared custom attribute names, as a text[] for profile_completeness. */
    private static final String CUSTOM = "coalesce((SELECT array_agg(name) FROM attribute_definition), '{}')";

    private final EventOutbox outbox;
    private final BatchJobs jobs;
    private final int batchSize;
    private final AtomicReference<Summary> latest = new AtomicReference<>();

    public CompletenessService(EventOutbox outbox, BatchJobs jobs,
            @ConfigProperty(name = "custops.completeness.batch-size", defaultValue = "5000") int batchSize,
            MeterRegistry registry) {
        this.outbox = outbox;
        this.jobs = jobs;
        this.batchSize = batchSize;
        Gauge.builder("custops.profile.completeness.average", latest, s -> s.get() == null ? Double.NaN : s.get().average().doubleValue())
                .description("Average profile completeness (0..1) over all profiles").register(registry);
        Gauge.builder("custops.profile.completeness.profiles", latest, s -> s.get() == null ? Double.NaN : s.get().profiles())
                .description("Profiles the completeness figures cover").register(registry);
        Gauge.builder("custops.profile.completeness.share.at.least.half", latest,
                s -> s.get() == null ? Double.NaN : s.get().shareAtLeastHalf().doubleValue())
                .description("Share of profiles at least 50% complete").register(registry);
        Gauge.builder("custops.profile.completeness.share.at.least.80", latest,
                s -> s.get() == null ? Double.NaN : s.get().shareAtLeast80().doubleValue())
                .description("Share of profiles at least 80% complete").register(registry);
    }

    /** Rewrites the stored score of these profiles, in the current transaction; returns their new scores. */
    public Uni<Map<UUID, BigDecimal>> refresh(Collection<UUID> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession().flatMap(session -> session.flush()).flatMap(flushed -> NativeSql.list("""
                UPDATE profile p SET completeness = profile_completeness(p, %s)
                WHERE p.id IN (SELECT CAST(x AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)) x)
                RETURNING p.id, p.completeness""".formatted(CUSTOM), Object[].class,
                Map.of("ids", NativeSql.json(List.copyOf(customerIds)))))
                .map(rows -> {
                    Map<UUID, BigDecimal> scores = new java.util.HashMap<>();
                    rows.forEach(r -> scores.put((UUID) r[0], (BigDecimal) r[1]));
                    return scores;
                });
    }

    /**
     * Queues a recompute of every profile, in the current transaction (so it runs only if the schema change
     * commits). A job still waiting to start covers the new change too, so no second one is queued.
     */
    public Uni<Void> queueRecompute(String reason) {
        return jobs.queue(KIND, reason, "{}").replaceWithVoid();
    }

    /** Queues a recompute on request; returns the job that will cover it. */
    public Uni<BatchJob> requestRecompute(String actor) {
        return Panache.withTransaction(() -> jobs.queue(KIND, "requested by " + actor, "{}"));
    }

    @WithSession
    public Uni<BatchJob> job(UUID id) {
        return jobs.get(id, KIND);
    }

    /** The latest summary; computed now when none was computed yet. */
    public Uni<Summary> summary() {
        Summary cached = latest.get();
        return cached != null ? Uni.createFrom().item(cached) : Panache.withSession(this::computeSummary);
    }

    @Scheduled(every = "${custops.completeness.summary-interval:5m}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshSummary() {
        return Panache.withSession(this::computeSummary).replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("completeness summary not refreshed: %s", e.toString()))
                .onFailure().recoverWithNull();
    }

    private Uni<Summary> computeSummary() {
        return NativeSql.list("""
                SELECT count(*), coalesce(avg(completeness), 0),
                       coalesce(avg(CASE WHEN completeness >= 0.5 THEN 1.0 ELSE 0 END), 0),
                       coalesce(avg(CASE WHEN completeness >= 0.8 THEN 1.0 ELSE 0 END), 0)
                FROM profile""", Object[].class, Map.of())
                .map(rows -> {
                    Object[] r = rows.get(0);
                    Summary summary = new Summary(((Number) r[0]).longValue(), scale(r[1]), scale(r[2]), scale(r[3]),
                            Instant.now());
                    latest.set(summary);
                    return summary;
                });
    }

    private static BigDecimal scale(Object value) {
        return new BigDecimal(value.toString()).setScale(4, java.math.RoundingMode.HALF_UP);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Uni<Long> total(BatchJob job) {
        return NativeSql.single("SELECT count(*) FROM profile", Long.class, Map.of());
    }

    /** Rescores the next batch of profiles in id order and announces each changed score. */
    @Override
    public Uni<JobStep> step(BatchJob job, String cursor) {
        UUID after = cursor == null ? new UUID(0, 0) : UUID.fromString(cursor);
        return NativeSql.list("SELECT id FROM profile WHERE id > :after ORDER BY id LIMIT :size", UUID.class,
                Map.of("after", after, "size", batchSize))
                .flatMap(batch -> rescore(after, batch).map(changed -> new JobStep(
                        batch.isEmpty() ? cursor : batch.get(batch.size() - 1).toString(), batch.size(), changed,
                        batch.size() < batchSize)));
    }

    /** Rewrites the scores of the profiles in (after, last of batch] and publishes the changes; returns how many. */
    private Uni<Integer> rescore(UUID after, List<UUID> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return NativeSql.list("""
                WITH scored AS (SELECT p.id, profile_completeness(p, %s) AS score FROM profile p
                                WHERE p.id > :after AND p.id <= :last)
                UPDATE profile p SET completeness = s.score FROM scored s
                WHERE p.id = s.id AND p.completeness IS DISTINCT FROM s.score
                RETURNING p.id, p.completeness""".formatted(CUSTOM), Object[].class,
                Map.of("after", after, "last", batch.get(batch.size() - 1)))
                .flatMap(changed -> {
                    Instant now = Instant.now();
                    return outbox.recordAll(changed.stream().map(r -> outbox.prepare(EventType.PROFILE_UPDATED, (UUID) r[0],
                            new ProfileUpdated((UUID) r[0], List.of("completeness"), (BigDecimal) r[1], now))).toList())
                            .replaceWith(changed.size());
                });
    }
}
