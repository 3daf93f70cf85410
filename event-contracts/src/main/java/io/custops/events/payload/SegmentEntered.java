package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.segmentation.SegmentEntered.v1}; {@code cause} is what triggered the evaluation (event,
 * sweep, definition, upload, merge, erasure).
 */
public record SegmentEntered(UUID customerId, UUID segmentId, String segmentName, Instant enteredAt, String cause) {
}
