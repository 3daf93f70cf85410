package io.custops.platform.jobs;

/**
 * What one step of a job did: the cursor to resume after, the units it processed and changed, and whether the
 * job is finished.
 */
public record JobStep(String cursor, long processed, long changed, boolean done) {
}
