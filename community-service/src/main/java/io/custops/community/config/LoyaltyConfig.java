package io.custops.community.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The points ledger's rules of time ({@code custops.loyalty.*}). */
@ConfigMapping(prefix = "custops.loyalty")
public interface LoyaltyConfig {
    /** Points an order earns stay pending this long after it was placed (its refund window). */
    @WithDefault("30d")
    Duration refundWindow();

    /** Points expire this long after they became available. */
    @WithDefault("365d")
    Duration pointsValidity();

    /** Customers are told this long before their points expire (PointsExpiring). */
    @WithDefault("30d")
    Duration expiryNotice();

    /** A reserved redemption holds its points and stock this long before it lapses unconfirmed. */
    @WithDefault("15m")
    Duration reservationHold();

    /** How often the ledger sweeps (vesting, expiry notices, expiry, lapsed reservations) run. */
    @WithDefault("30s")
    String sweepInterval();

    /** How often members are checked for having aged below their tier over the rolling window. */
    @WithDefault("1h")
    String tierReviewInterval();

    /** Lots vested, expired or noticed, and reservations lapsed, per sweep statement. */
    @WithDefault("1000")
    int sweepBatch();
}
