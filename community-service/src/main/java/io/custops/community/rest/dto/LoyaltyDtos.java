package io.custops.community.rest.dto;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The points ledger, earn rules, rewards and redemptions as the API shows them. */
public final class LoyaltyDtos {
    private LoyaltyDtos() {
    }

    /**
     * A customer's points: {@code available} to redeem now (after debts and open reservations), {@code pending} (orders
     * still in their refund window), {@code reserved} by unconfirmed redemptions, {@code debt} (clawed back beyond the
     * balance, paid by later points), {@code expiringSoon} within the notice period and the next expiry.
     */
    public record Balance(UUID customerId, long available, long pending, long reserved, long debt, long expiringSoon, Instant nextExpiry,
            long lifetimeEarned, long lifetimeRedeemed, long lifetimeExpired) {
    }

    /**
     * One ledger entry. {@code state}: a credit is pending, available or consumed; a debit is settled, or owed while part
     * of it is a debt. {@code remaining} is what is left of a credit.
     */
    public record Entry(long id, String kind, int points, String reason, String reference, String state, Instant vestsAt,
            Instant expiresAt, Integer remaining, String note, Instant occurredAt, Instant recordedAt) {
    }

    public record EntryPage(List<Entry> entries, Long nextBefore) {
    }

    /** An audited manual correction: positive credits a lot, negative debits (never below the available balance). */
    public record Adjustment(Integer points, String note) {
    }

    /**
     * An earn rule. {@code order}: {@code pointsPerUnit} per unit of {@code currency} spent (any currency when null);
     * {@code engagement}: {@code points} per interaction of type {@code interaction}; {@code challenge} and
     * {@code referral}: {@code points} per completion — for a referral, the referrer's {@code points} and the referee's
     * {@code refereePoints} when the referral reaches {@code stage} (registered, first-order). {@code capPoints} per
     * customer and {@code capPeriod} (day, week, month, year) when set. On change, {@code version} is the version you read.
     */
    public record EarnRuleRequest(String name, String kind, String interaction, String currency, BigDecimal pointsPerUnit, Integer points,
            Integer capPoints, String capPeriod, Boolean active, String stage, Integer refereePoints, Integer version) {
    }

    public record EarnRuleView(UUID id, String name, String kind, String interaction, String currency, BigDecimal pointsPerUnit,
            Integer points, Integer capPoints, String capPeriod, boolean active, String stage, Integer refereePoints, int version,
            String createdBy, Instant createdAt, Instant updatedAt) {
    }

    /** A member's referral code and how their referrals went. */
    public record ReferralCode(UUID customerId, String code, long referred, long firstOrders, long pointsEarned) {
    }

    /** Attribute a referee to a code: a member claims for themselves; staff and integrators name the referee. */
    public record ReferralClaim(String code, UUID refereeId) {
    }

    public record ReferralView(UUID id, UUID referrerId, UUID refereeId, String source, Instant claimedAt, String firstOrderId,
            Instant firstOrderAt) {
    }

    /**
     * A reward of the catalogue: its point price, stock (unlimited when null), a limit per member, the loyalty tiers
     * that may redeem it (all when empty), and when it is on offer. On change, {@code version} is the version you read.
     */
    public record RewardRequest(String name, String description, Integer pointsPrice, Integer stock, Integer perMemberLimit,
            List<String> allowedTiers, Boolean active, Instant availableFrom, Instant availableUntil, Integer version) {
    }

    public record RewardView(UUID id, String name, String description, int pointsPrice, Integer stock, Integer perMemberLimit,
            List<String> allowedTiers, boolean active, Instant availableFrom, Instant availableUntil, int version, long redeemed,
            long reserved) {
    }

    /** Redeem a reward for a customer (a member: for themselves); {@code confirm} reserves and confirms at once. */
    public record RedemptionRequest(UUID customerId, UUID rewardId, Boolean confirm) {
    }

    public record RedemptionView(UUID id, UUID customerId, UUID rewardId, String rewardName, int points, String status, Instant reservedAt,
            Instant holdUntil, Instant finishedAt) {
    }

    /**
     * A tier set: its tiers ranked by {@code threshold} on {@code basis} — points earned, or money spent in
     * {@code currency} — over the last {@code windowDays}. Members are upgraded at once; a member found below their
     * tier is downgraded at the end of that {@code period} (month, quarter, year) plus {@code graceDays}, unless they
     * qualify again by then.
     */
    public record TierSetRequest(String name, String basis, String currency, Integer windowDays, String period, Integer graceDays,
            List<TierRequest> tiers, Boolean active, Integer version) {
    }

    public record TierRequest(String name, BigDecimal threshold, List<String> benefits) {
    }

    public record TierSetView(UUID id, String name, String basis, String currency, int windowDays, String period, int graceDays,
            boolean active, int version, List<TierView> tiers, Instant createdAt) {
    }

    public record TierView(UUID id, String name, int rank, BigDecimal threshold, List<String> benefits) {
    }

    /** Where a customer stands in a tier set: the tier, since when, a pending downgrade, the qualifying value and the next tier. */
    public record MemberTierView(UUID tierSetId, String tierSet, String tier, List<String> benefits, Instant since, Instant downgradeAt,
            BigDecimal qualifyingValue, String nextTier, BigDecimal toNextTier) {
    }
}
