package io.custops.profile.rest.dto;

import java.time.Instant;

import io.custops.profile.domain.ConsentRecord;

/** One recorded change of consent; {@code id} pages the history (pass it as {@code before}). */
public record ConsentHistoryItem(long id, String channel, String purpose, String status, String source, String proof,
        Instant recordedAt, String recordedBy) {

    public static ConsentHistoryItem of(ConsentRecord r) {
        return new ConsentHistoryItem(r.id, r.channel, r.purpose, r.status, r.source, r.proof, r.recordedAt, r.recordedBy);
    }
}
