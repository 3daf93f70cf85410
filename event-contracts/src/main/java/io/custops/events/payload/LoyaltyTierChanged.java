package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.community.LoyaltyTierChanged.v1}: a customer's loyalty tier changed: upgrades at once,
 * downgrades at the end of the period after a grace period.
 */
public record LoyaltyTierChanged(UUID customerId, UUID tierSetId, String from, String to, String direction,
        Instant changedAt) {
}
