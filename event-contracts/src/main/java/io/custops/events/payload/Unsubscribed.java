package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.campaign.Unsubscribed.v1}: the customer withdrew marketing consent for the channel through
 * campaign-service (e.g. {@code source} unsubscribe-link); {@code messageId} is null when no message is known.
 */
public record Unsubscribed(UUID customerId, UUID messageId, String channel, String purpose, String source,
        Instant unsubscribedAt) {
}
