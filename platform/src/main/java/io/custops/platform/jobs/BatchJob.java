package io.custops.platform.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * A long-running job as its API shows it: state ({@code queued}, {@code running}, {@code completed},
 * {@code failed}), units processed of the total, and how many of them changed something.
 */
public record BatchJob(UUID id, String kind, String reason, String params, String state, long processed, long changed,
        Long total, String error, Instant createdAt, Instant startedAt, Instant finishedAt) {
}
