package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/** Data of {@code io.custops.campaign.CouponIssued.v1}: a coupon of a pool was issued to a customer by {@code source}. */
public record CouponIssued(UUID customerId, UUID poolId, String code, String source, Instant expiresAt, Instant issuedAt) {
}
