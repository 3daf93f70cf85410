package io.custops.profile.rest.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Everything CustOps' profile service holds about one person (the right to a copy): the profile unmasked,
 * consents with their full history, and the activity received (the most recent {@link #ACTIVITY_LIMIT}; older
 * activity is flagged as truncated).
 */
public record ProfileExport(Instant exportedAt, ProfileResponse profile, List<ConsentDto> consents,
        List<ConsentHistoryItem> consentHistory, List<Activity> activities, boolean activitiesTruncated) {
    public static final int ACTIVITY_LIMIT = 10_000;

    public record Activity(UUID id, String type, Instant occurredAt, Instant receivedAt, JsonNode data, String comment) {
    }
}
