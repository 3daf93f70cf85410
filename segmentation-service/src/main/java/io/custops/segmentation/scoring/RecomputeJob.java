package io.custops.segmentation.scoring;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.custops.platform.jobs.BatchJob;
import io.custops.platform.jobs.BatchJobHandler;
import io.custops.platform.jobs.BatchJobs;
import io.custops.platform.jobs.JobStep;
import io.custops.platform.persistence.NativeSql;
import io.custops.segmentation.segments.SegmentMembership;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The whole-base recompute, as a job with progress: optionally the rollups from the raw facts (so time windows
 * move on and configuration changes take effect), then a new scoring model over the active base, then every
 * customer's scores under it and their membership of every rule segment (the sweep that keeps time-relative
 * conditions true), in id-ordered slices of {@code custops.scoring.batch-size} customers. Runs daily
 * ({@code custops.scoring.recompute-cron}) and on demand.
 */
@ApplicationScoped
public class RecomputeJob implements BatchJobHandler {
    public static final String KIND = "segmentation.recompute";

    private final Rollups rollups;
    private final Scorer scorer;
    private final ScoringModels models;
    private final BatchJobs jobs;
    private final SegmentMembership segments;
    private final Clock clock;
    private final int batchSize;

    public RecomputeJob(Rollups rollups, Scorer scorer, ScoringModels models, BatchJobs jobs, SegmentMembership segments, Clock clock,
            @ConfigProperty(name = "custops.scoring.batch-size", defaultValue = "20000") int batchSize) {
        this.rollups = rollups;
        this.scorer = scorer;
        this.models = models;
        this.jobs = jobs;
        this.segments = segments;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** Queues a recompute in the current transaction; {@code fromFacts} also rebuilds every rollup from the facts. */
    public Uni<BatchJob> queue(boolean fromFacts, String reason) {
        return jobs.queue(KIND, reason, "{\"fromFacts\":" + fromFacts + "}");
    }

    @Scheduled(cron = "${custops.scoring.recompute-cron:0 30 2 * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> daily() {
        return Panache.withTransaction(() -> queue(true, "daily sweep")).replaceWithVoid();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Uni<Long> total(BatchJob job) {
        return NativeSql.single("SELECT count(*) FROM customer_score", Long.class, Map.of())
                .map(customers -> fromFacts(job) ? 2 * customers : customers);
    }

    @Override
    public Uni<JobStep> step(BatchJob job, String cursor) {
        Instant now = Instant.now(clock);
        if (cursor == null) {
            return Uni.createFrom().item(new JobStep(fromFacts(job) ? "rollup:" + CustomerScope.FIRST : "model", 0, 0, false));
        }
        if (cursor.equals("model")) {
            return models.compute(now).map(version -> new JobStep("score:" + CustomerScope.FIRST, 0, 0, false));
        }
        String phase = cursor.substring(0, cursor.indexOf(':'));
        UUID after = UUID.fromString(cursor.substring(cursor.indexOf(':') + 1));
        return CustomerScope.sliceEnd(after, batchSize).flatMap(upto -> {
            CustomerScope slice = CustomerScope.range(after, upto);
            boolean last = upto.equals(CustomerScope.LAST);
            if (phase.equals("rollup")) {
                return rollups.refresh(slice, now).map(rows -> new JobStep(last ? "model" : "rollup:" + upto, rows, 0, false));
            }
            return slice.count()
                    .flatMap(customers -> scorer.score(slice, now)
                            .flatMap(changed -> segments.evaluateAll(slice, now, "sweep")
                                    .map(moved -> new JobStep("score:" + upto, customers, changed + moved, last))));
        });
    }

    private static boolean fromFacts(BatchJob job) {
        return job.params().contains("\"fromFacts\":true");
    }
}
