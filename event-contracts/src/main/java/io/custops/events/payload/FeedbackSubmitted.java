package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.activity.FeedbackSubmitted.v1}: an NPS answer (score 0–10), a CSAT answer (1–5) or
 * a complaint (with a category, no score). Free-text comments stay in the profile service: events carry no PII.
 */
public record FeedbackSubmitted(UUID customerId, String feedbackId, String kind, Integer score, String category,
        Instant submittedAt, String channel, String source) {
}
