package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.community.MemberJoined.v1}: a customer joined a community (by themselves, or invited or
 * added by a manager).
 */
public record MemberJoined(UUID customerId, UUID communityId, String communityKind, String role, String via,
        Instant joinedAt) {
}
