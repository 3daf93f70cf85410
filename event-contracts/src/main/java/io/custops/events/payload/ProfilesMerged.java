package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.profile.ProfilesMerged.v1}: two profiles turned out to be one person. The merged
 * customer id is retired; consumers fold everything they hold about it into the survivor. Keyed by the merged id,
 * so it follows every earlier event of the merged customer on its partition.
 */
public record ProfilesMerged(UUID survivorId, UUID mergedId, UUID mergeId, Instant mergedAt, String reason) {
}
