package io.custops.platform.jobs;

import io.smallrye.mutiny.Uni;

/**
 * The work of one kind of {@link BatchJob}, done in bounded steps. Each step runs in its own transaction together
 * with the job's progress, so a step either commits with its cursor or not at all, and a job that lost its worker
 * resumes from the last committed cursor on any replica.
 */
public interface BatchJobHandler {
    /** The job kind this handler works, e.g. {@code segmentation.recompute}. */
    String kind();

    /** The units of work the job will process, counted once when it starts (for progress). */
    Uni<Long> total(BatchJob job);

    /** Does the slice of work after {@code cursor} ({@code null} on the first step) in the current transaction. */
    Uni<JobStep> step(BatchJob job, String cursor);
}
