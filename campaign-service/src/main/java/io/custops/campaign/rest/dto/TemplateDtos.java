package io.custops.campaign.rest.dto;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Message templates as the API shows them. */
public final class TemplateDtos {
    private TemplateDtos() {
    }

    /**
     * A template's text for one locale, in Qute syntax over the data a send provides: {@code customer.firstName},
     * {@code customer.lastName}, {@code customer.locale}, {@code customer.lastOrder.id} and {@code .placedAt}, {@code data.*} (what the campaign, journey or caller
     * passes: coupon code, last purchase, recommendations), {@code links.unsubscribe} and {@code message.id}.
     * {@code subject} is required for e-mail and push (the title), unused for sms and wechat.
     */
    public record Content(String subject, String body) {
    }

    public record TemplateRequest(String name, String channel, String category, String defaultLocale,
            Map<String, Content> contents, Long version) {
    }

    public record TemplateResponse(UUID id, String name, String channel, String category, String defaultLocale,
            Map<String, Content> contents, boolean archived, long version, String createdBy, Instant createdAt,
            Instant updatedAt) {
    }

    /** A sample customer and send data to preview a template with; every field optional. */
    public record PreviewRequest(String locale, Map<String, Object> customer, Map<String, Object> data) {
    }

    public record Preview(String locale, String subject, String body) {
    }
}
