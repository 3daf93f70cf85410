package io.custops.events.payload;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Data of {@code io.custops.profile.ProfileUpdated.v1}: which fields changed (names only, never values: events
 * carry no PII) and the new completeness score.
 */
public record ProfileUpdated(UUID customerId, List<String> changedFields, BigDecimal completeness, Instant updatedAt) {
}
