package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/** Data of {@code io.custops.campaign.MessageDelivered.v1}: the provider's receipt says the message was delivered. */
public record MessageDelivered(UUID customerId, UUID messageId, String channel, UUID templateId, UUID campaignId, Instant deliveredAt) {
}
