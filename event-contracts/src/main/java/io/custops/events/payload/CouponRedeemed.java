package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/** Data of {@code io.custops.campaign.CouponRedeemed.v1}: a customer redeemed an issued coupon, with an order or through the API. */
public record CouponRedeemed(UUID customerId, UUID poolId, String code, String orderId, Instant redeemedAt) {
}
