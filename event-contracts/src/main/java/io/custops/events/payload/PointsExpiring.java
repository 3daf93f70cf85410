package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.community.PointsExpiring.v1}: advance notice: points of a customer will expire (first
 * in, first out) unless they are redeemed before expiresAt.
 */
public record PointsExpiring(UUID customerId, int points, Instant expiresAt, Instant noticedAt) {
}
