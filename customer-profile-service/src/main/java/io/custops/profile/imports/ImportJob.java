package io.custops.profile.imports;

import java.time.Instant;
import java.util.UUID;

/** An import job as the API shows it. {@code total} counts data rows (a CSV header excluded). */
public record ImportJob(UUID id, String kind, String format, String fileName, String state, long total, long processed,
        long failed, Instant createdAt, Instant startedAt, Instant finishedAt) {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
}
