package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.community.PointsRedeemed.v1}: a redemption of a reward was confirmed and its points
 * debited.
 */
public record PointsRedeemed(UUID customerId, UUID redemptionId, UUID rewardId, int points, Instant redeemedAt) {
}
