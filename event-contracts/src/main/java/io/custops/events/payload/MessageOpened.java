package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.campaign.MessageOpened.v1}: the first open of a message (later opens are not published).
 * {@code campaignId} is null for a message sent through the messages API.
 */
public record MessageOpened(UUID customerId, UUID messageId, String channel, UUID templateId, UUID campaignId,
        Instant openedAt) {
}
