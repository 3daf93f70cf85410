package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.campaign.MessageSuppressed.v1}: a safeguard stopped a send; {@code reason} is no-consent,
 * frequency-cap, quiet-hours, duplicate, no-address or erased. {@code campaignId} is null for the messages API.
 */
public record MessageSuppressed(UUID customerId, UUID messageId, String channel, String category, UUID templateId,
        UUID campaignId, String reason, Instant suppressedAt) {
}
