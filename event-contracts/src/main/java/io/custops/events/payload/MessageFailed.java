package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.campaign.MessageFailed.v1}: a send failed after {@code attempts} attempts; {@code error}
 * is the provider's answer, never PII. {@code campaignId} is null for a message sent through the messages API.
 */
public record MessageFailed(UUID customerId, UUID messageId, String channel, String category, UUID templateId,
        UUID campaignId, String error, int attempts, Instant failedAt) {
}
