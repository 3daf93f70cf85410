package io.custops.events.payload;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.segmentation.TierChanged.v1}; {@code from} and {@code to} are null when the customer had
 * or has no tier (a customer without orders).
 */
public record TierChanged(UUID customerId, String from, String to, BigDecimal valueScore, Instant changedAt,
        String reason, long modelVersion) {
}
