package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.campaign.MessageSent.v1}: campaign-service sent a message; {@code campaignId} is null for
 * a message sent through the messages API, not a campaign; {@code cost} is what it cost {@code budgetPoolId} (both null when
 * no pool pays for it).
 */
public record MessageSent(UUID customerId, UUID messageId, String channel, String category, UUID templateId,
        UUID campaignId, Instant sentAt, Money cost, UUID budgetPoolId) {
    public MessageSent(UUID customerId, UUID messageId, String channel, String category, UUID templateId, UUID campaignId,
            Instant sentAt) {
        this(customerId, messageId, channel, category, templateId, campaignId, sentAt, null, null);
    }
}
