package io.custops.segmentation.rest.dto;

import io.custops.platform.jobs.BatchJob;
import io.custops.segmentation.scoring.ScoringConfig;

/** The configuration now in force and the recompute job that applies it to every customer. */
public record ConfigUpdate(ScoringConfig config, BatchJob job) {
}
