package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.profile.ProfileSplit.v1}: an administrator undid a wrong merge. The restored customer
 * id is live again with the identifiers, tags, consents and activity it had before the merge; consumers that
 * folded it into the survivor recompute both from their event history. Keyed by the restored id.
 */
public record ProfileSplit(UUID survivorId, UUID restoredId, UUID mergeId, Instant splitAt) {
}
