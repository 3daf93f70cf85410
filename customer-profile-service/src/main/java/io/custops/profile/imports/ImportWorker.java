package io.custops.profile.imports;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.platform.persistence.NativeSql;
import io.custops.platform.persistence.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Works through queued imports, shared safely by any number of replicas: a job is claimed with
 * {@code FOR UPDATE SKIP LOCKED} and a lease that the worker renews with every chunk; a worker that dies lets
 * its lease run out and another one carries on from the job's last committed chunk. Each chunk (rows, errors
 * and progress) commits in one transaction, so no row is imported twice or skipped.
 */
@ApplicationScoped
public class ImportWorker {
    private static final Logger LOG = Logger.getLogger(ImportWorker.class);
    private static final Duration LEASE = Duration.ofSeconds(60);

    private final ImportRows rows;
    private final ObjectMapper mapper;
    private final int chunkSize;
    private final String workerId = "worker-" + UUID.randomUUID();

    public ImportWorker(ImportRows rows, ObjectMapper mapper, @ConfigProperty(name = "custops.imports.chunk-size") int chunkSize) {
        this.rows = rows;
        this.mapper = mapper;
        this.chunkSize = chunkSize;
    }

    private record Claimed(UUID id, String kind, String format, Path path, long offset, long nextRow, List<String> header) {
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void work() {
        try {
            Claimed job;
            while ((job = claim()) != null) {
                run(job);
            }
        } catch (Throwable e) {
            LOG.warnf("import worker failed, retrying: %s", e.toString());
        }
    }

    private Claimed claim() throws Throwable {
        List<Object[]> claimed = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> NativeSql.list("""
                UPDATE import_job SET state = 'running', started_at = coalesce(started_at, now()),
                    lease_owner = :owner, lease_until = now() + make_interval(secs => :lease)
                WHERE id = (SELECT id FROM import_job WHERE state IN ('queued', 'running')
                    AND (lease_until IS NULL OR lease_until < now()) ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
                RETURNING id, kind, format, path, byte_offset, processed + failed, header""", Object[].class,
                Map.of("owner", workerId, "lease", (double) LEASE.toSeconds()))));
        if (claimed.isEmpty()) {
            return null;
        }
        Object[] r = claimed.get(0);
        String header = (String) r[6];
        return new Claimed((UUID) r[0], (String) r[1], (String) r[2], Path.of((String) r[3]), ((Number) r[4]).longValue(),
                ((Number) r[5]).longValue() + 1, header == null || header.isEmpty() ? List.of() : ImportFormat.split(header));
    }

    private void run(Claimed job) throws Throwable {
        long offset = job.offset();
        long nextRow = job.nextRow();
        while (true) {
            ChunkReader.Chunk chunk = ChunkReader.read(job.path(), offset, nextRow, chunkSize);
            List<ImportRows.Row> parsed = new ArrayList<>(chunk.lines().size());
            List<ImportRows.RowError> unreadable = new ArrayList<>();
            for (ChunkReader.Line line : chunk.lines()) {
                try {
                    JsonNode node = !"csv".equals(job.format()) ? mapper.readTree(line.text())
                            : "events".equals(job.kind()) ? ImportFormat.csvEventRow(job.header(), line.text())
                            : ImportFormat.csvRow(job.header(), line.text());
                    parsed.add(new ImportRows.Row(line.number(), node));
                } catch (Exception e) {
                    unreadable.add(new ImportRows.RowError(line.number(), "line " + line.number() + " is not valid "
                            + job.format() + ": " + e.getMessage()));
                }
            }
            boolean last = chunk.lines().size() < chunkSize;
            long newOffset = chunk.nextOffset();
            VertxContextSupport.subscribeAndAwait(() -> Transactions.withRetriedTransaction(() -> rows
                    .apply(job.kind(), job.id(), parsed)
                    .flatMap(errors -> {
                        List<ImportRows.RowError> all = new ArrayList<>(unreadable);
                        all.addAll(errors);
                        return recordErrors(job.id(), all).flatMap(x -> progress(job.id(), newOffset,
                                chunk.lines().size() - all.size(), all.size(), last));
                    })));
            if (last) {
                return;
            }
            offset = newOffset;
            nextRow = chunk.nextRowNumber();
        }
    }

    private static Uni<Void> recordErrors(UUID jobId, List<ImportRows.RowError> errors) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (ImportRows.RowError error : errors) {
            chain = chain.flatMap(x -> NativeSql.execute("INSERT INTO import_error (job_id, row_number, message)"
                    + " VALUES (:job, :row, :message) ON CONFLICT DO NOTHING",
                    Map.of("job", jobId, "row", error.row(), "message", error.message())).replaceWithVoid());
        }
        return chain;
    }

    /** Commits the chunk's progress if this worker still holds the lease, else fails so the chunk rolls back. */
    private Uni<Void> progress(UUID jobId, long offset, long processed, long failed, boolean last) {
        return NativeSql.execute("""
                UPDATE import_job SET byte_offset = :offset, processed = processed + :processed, failed = failed + :failed,
                    lease_until = now() + make_interval(secs => :lease),
                    state = CASE WHEN :last THEN 'completed' ELSE state END,
                    finished_at = CASE WHEN :last THEN now() ELSE finished_at END
                WHERE id = :id AND lease_owner = :owner""",
                NativeSql.params("offset", offset, "processed", processed, "failed", failed, "lease", (double) LEASE.toSeconds(),
                        "last", last, "id", jobId, "owner", workerId))
                .map(updated -> {
                    if (updated == 0) {
                        // another worker took over: roll this chunk back
                        throw new IllegalStateException("lease on import " + jobId + " lost; another worker carries on");
                    }
                    return null;
                });
    }
}
