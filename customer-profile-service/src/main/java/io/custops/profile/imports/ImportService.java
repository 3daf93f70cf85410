package io.custops.profile.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Accepts import files: the upload is hashed and its rows counted while it is moved into the import directory,
 * and a job is queued. The same file (same kind and SHA-256) imported again returns the existing job instead of
 * importing twice.
 */
@ApplicationScoped
public class ImportService {
    public static final List<String> KINDS = List.of("profiles", "events");
    public static final List<String> FORMATS = List.of("csv", "jsonl");

    private final Path directory;
    private final Clock clock;

    public ImportService(@ConfigProperty(name = "custops.imports.directory") Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * Blocking (call from a worker thread): stores the file and queues a job.
     *
     * @return the job, and whether it was created now (false: this file was imported before)
     */
    public Map.Entry<ImportJob, Boolean> accept(Path upload, String fileName, String kind, String format, String actor)
            throws Throwable {
        if (!KINDS.contains(kind) || !FORMATS.contains(format)) {
            throw ProblemException.badRequest("Unsupported import.", List.of(
                    new Problem.FieldError("kind", "must be profiles or events"),
                    new Problem.FieldError("format", "must be csv or jsonl")));
        }
        Stored stored = store(upload, format);
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> NativeSql.list("SELECT id FROM import_job WHERE kind = :kind"
                        + " AND sha256 = :sha", UUID.class, Map.of("kind", kind, "sha", stored.sha256()))
                        .flatMap(existing -> {
                            if (!existing.isEmpty()) {
                                stored.delete();
                                return find(existing.get(0)).map(job -> Map.entry(job, false));
                            }
                            UUID id = UUID.randomUUID();
                            return NativeSql.execute("""
                                    INSERT INTO import_job (id, kind, format, file_name, path, sha256, total_rows, header, state,
                                        created_by, created_at, byte_offset)
                                    VALUES (:id, :kind, :format, :name, :path, :sha, :total, :header, 'queued', :by, :at, :offset)""",
                                    NativeSql.params("id", id, "kind", kind, "format", format, "name", fileName == null ? "" : fileName,
                                            "path", stored.path().toString(), "sha", stored.sha256(), "total", stored.rows(),
                                            "header", stored.header() == null ? "" : stored.header(), "by", actor,
                                            "at", Instant.now(clock), "offset", stored.dataOffset()))
                                    .flatMap(x -> find(id)).map(job -> Map.entry(job, true));
                        })));
    }

    private static final String JOB_COLUMNS = "id, kind, format, file_name, state, total_rows, processed, failed,"
            + " created_at, started_at, finished_at";

    public Uni<ImportJob> find(UUID id) {
        return NativeSql.list("SELECT " + JOB_COLUMNS + " FROM import_job WHERE id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(ImportService::toJob)
                        .orElseThrow(() -> ProblemException.notFound("No import " + id + ".")));
    }

    /** Imports newest first, a page at a time: {@code after} is the last job of the previous page. */
    public Uni<List<ImportJob>> list(UUID after, String state, int limit) {
        return NativeSql.list("SELECT " + JOB_COLUMNS + " FROM import_job j WHERE (CAST(:state AS text) IS NULL OR j.state = :state)"
                + " AND (CAST(:after AS uuid) IS NULL OR (j.created_at, j.id) < (SELECT created_at, id FROM import_job WHERE id = :after))"
                + " ORDER BY j.created_at DESC, j.id DESC LIMIT :limit", Object[].class,
                NativeSql.params("state", state, "after", after, "limit", limit))
                .map(rows -> rows.stream().map(ImportService::toJob).toList());
    }

    private static ImportJob toJob(Object[] r) {
        return new ImportJob((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                ((Number) r[5]).longValue(), ((Number) r[6]).longValue(), ((Number) r[7]).longValue(),
                NativeSql.instant(r[8]), NativeSql.instant(r[9]), NativeSql.instant(r[10]));
    }

    public record RowError(long row, String message) {
    }

    public Uni<List<RowError>> errors(UUID id, long afterRow, int limit) {
        return find(id).flatMap(job -> NativeSql.list("SELECT row_number, message FROM import_error WHERE job_id = :id"
                + " AND row_number > :after ORDER BY row_number LIMIT :limit", Object[].class,
                Map.of("id", id, "after", afterRow, "limit", limit)))
                .map(rows -> rows.stream().map(r -> new RowError(((Number) r[0]).longValue(), (String) r[1])).toList());
    }

    private record Stored(Path path, String sha256, long rows, String header, long dataOffset) {
        void delete() {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // a leftover file is harmless
            }
        }
    }

    /** Blocking: hashes, counts and moves the upload (runs on a worker thread). */
    private Stored store(Path upload, String format) {
        try {
            Files.createDirectories(directory);
            Path target = directory.resolve(UUID.randomUUID() + "." + format);
            Files.move(upload, target, StandardCopyOption.REPLACE_EXISTING);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long rows = 0;
            String header = null;
            long dataOffset = 0;
            try (InputStream in = new DigestInputStream(Files.newInputStream(target), digest);
                    BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    if ("csv".equals(format) && header == null) {
                        header = line.replace("\uFEFF", "");
                        dataOffset = line.getBytes(StandardCharsets.UTF_8).length + 1;
                        continue;
                    }
                    rows++;
                }
            }
            if ("csv".equals(format) && header == null) {
                throw ProblemException.badRequest("The CSV file has no header line.", List.of());
            }
            return new Stored(target, HexFormat.of().formatHex(digest.digest()), rows, header, dataOffset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
