package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.community.ChallengeCompleted.v1}: a customer completed a challenge (e.g. checked in 7
 * days in a row, N posts in a month).
 */
public record ChallengeCompleted(UUID customerId, UUID challengeId, String kind, int rewardPoints,
        Instant completedAt) {
}
