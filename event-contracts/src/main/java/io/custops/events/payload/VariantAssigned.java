package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.campaign.VariantAssigned.v1}: the customer's variant (or {@code control}) in an experiment,
 * a campaign's A/B test or a journey's split {@code step}; {@code plannedShare} is the variant's planned share of the
 * experiment (null once a promoted winner takes everyone).
 */
public record VariantAssigned(UUID customerId, UUID experimentId, String experimentKind, String step, String variant, Instant assignedAt,
        java.math.BigDecimal plannedShare) {
}
