package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.community.ReferralCompleted.v1}: a referral reached a rewarded stage: the referee
 * registered with the referrer's code, or placed their first order.
 */
public record ReferralCompleted(UUID customerId, UUID referralId, UUID refereeId, String stage, int referrerPoints,
        int refereePoints, Instant completedAt) {
}
