package io.custops.campaign.rest.dto;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Coupon pools and coupons as the API shows them. */
public final class CouponDtos {
    private CouponDtos() {
    }

    /**
     * A pool: {@code kind} generated (codes made at issuance: prefix + 8 random characters) or uploaded (codes loaded in
     * advance); {@code discount} describes the benefit for templates ("15%", "10 EUR"); {@code validDays} after
     * issuance and/or a fixed {@code expiresAt}; {@code cost} is what one redemption costs, charged to {@code budgetPoolId}.
     */
    public record PoolRequest(String name, String kind, String prefix, String discount, Integer perCustomerLimit, Integer validDays,
            Instant expiresAt, BigDecimal cost, String currency, UUID budgetPoolId) {
    }

    public record PoolView(UUID id, String name, String kind, String prefix, String discount, int perCustomerLimit, Integer validDays,
            Instant expiresAt, BigDecimal cost, String currency, String status, Instant createdAt, Counts counts) {
    }

    /** Codes by state; the redemption rate is redeemed ÷ issued (issued, redeemed and expired ones). */
    public record Counts(long available, long issued, long redeemed, long expired, BigDecimal redemptionRate) {
    }

    public record Upload(List<String> codes) {
    }

    public record UploadResult(int added, int duplicates) {
    }

    public record IssueRequest(UUID customerId) {
    }

    public record RedeemRequest(String code, UUID customerId, String orderId) {
    }

    public record CouponView(String code, UUID poolId, String status, UUID customerId, String source, Instant issuedAt, Instant expiresAt,
            Instant redeemedAt, String orderId) {
    }
}
