package io.custops.segmentation.rest.dto;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.custops.platform.jobs.BatchJob;

/**
 * A segment with its current member count. {@code timeRelative} rule segments depend on the passing of time and are
 * also re-evaluated by the daily sweep. {@code job} is the evaluation queued by a create or change, if any.
 */
public record SegmentResponse(UUID id, String name, String description, String kind, JsonNode definition, int version,
        String state, long members, boolean timeRelative, Instant evaluatedAt, Instant createdAt, String createdBy,
        Instant updatedAt, String updatedBy, BatchJob job) {
}
