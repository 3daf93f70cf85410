package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.segmentation.SegmentExited.v1}; {@code cause} is what triggered the evaluation (event,
 * sweep, definition, upload, merge, erasure).
 */
public record SegmentExited(UUID customerId, UUID segmentId, String segmentName, Instant exitedAt, String cause) {
}
