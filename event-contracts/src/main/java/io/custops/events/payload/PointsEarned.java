package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.community.PointsEarned.v1}: points were credited to a customer's ledger; points from an
 * order stay pending until its refund window closes.
 */
public record PointsEarned(UUID customerId, long entryId, int points, String reason, String reference, String status,
        Instant vestsAt, Instant expiresAt, Instant earnedAt) {
}
