package io.custops.profile.rest.dto;

import java.time.Instant;

/** The consent for one channel and purpose: granted, withdrawn or unknown (never asked: no consent). */
public record ConsentDto(String channel, String purpose, String status, String source, String proof, Instant recordedAt,
        String recordedBy) {
}
