package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.campaign.MessageClicked.v1}: one click on a link in a message (every click is published);
 * {@code url} is the link's target, carrying no PII. {@code campaignId} is null for the messages API.
 */
public record MessageClicked(UUID customerId, UUID messageId, String channel, UUID templateId, UUID campaignId,
        String url, Instant clickedAt) {
}
