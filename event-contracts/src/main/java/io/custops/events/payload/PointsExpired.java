package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.community.PointsExpired.v1}: points of a customer expired, oldest first (first in,
 * first out).
 */
public record PointsExpired(UUID customerId, long entryId, int points, Instant expiredAt) {
}
