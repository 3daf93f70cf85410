package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.community.PointsReversed.v1}: points taken back by a refund (exactly what the order
 * earned) or an adjustment.
 */
public record PointsReversed(UUID customerId, long entryId, int points, String reason, String reference,
        String refundId, boolean wasPending, Instant reversedAt) {
}
