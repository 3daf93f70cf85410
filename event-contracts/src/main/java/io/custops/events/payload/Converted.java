package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.campaign.Converted.v1}: an order followed the customer's open or click ({@code touch})
 * of a message within the attribution window; {@code revenue} is the order total.
 */
public record Converted(UUID customerId, UUID messageId, String channel, UUID templateId, UUID campaignId, String orderId,
        Money revenue, String touch, Instant convertedAt) {
}
