package io.custops.profile.rest.dto;

import java.time.Instant;

/** One recorded change of consent; {@code id} pages the history (pass it as {@code before}). */
public record ConsentHistoryItem(long id, String channel, String purpose, String status, String source, String proof,
        Instant recordedAt, String recordedBy) {
}
