package io.custops.campaign.rest.dto;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Messages to one customer as the API shows them. */
public final class MessageDtos {
    private MessageDtos() {
    }

    /**
     * Queues a message from a template to one customer. {@code data} is what the template reads under {@code data.*};
     * {@code dedupeKey} names "the same message" (default: the template and the data), so a retried or repeated
     * request is never sent twice; {@code sendAt} delays it.
     */
    public record SendRequest(UUID customerId, UUID templateId, Map<String, Object> data, String dedupeKey, Instant sendAt) {
    }

    /**
     * A message and where it stands: queued (due at {@code notBefore}; {@code reason} says why it was deferred or
     * retried), sending, sent, failed ({@code reason}: the provider's last answer) or suppressed ({@code reason}:
     * no-consent, frequency-cap, quiet-hours, duplicate, no-address, erased).
     */
    public record MessageView(UUID id, UUID customerId, String channel, String category, UUID templateId, UUID campaignId,
            String status, String reason, Instant notBefore, int attempts, Instant createdAt, Instant sentAt, Instant openedAt,
            Instant clickedAt, Instant unsubscribedAt) {
    }

    /** A page of messages, newest first; pass {@code next} as {@code after} for the following page. */
    public record MessagePage(List<MessageView> items, UUID next) {
    }
}
