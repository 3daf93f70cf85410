package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/** Data of {@code io.custops.profile.ProfileRegistered.v1}. Events carry no PII. */
public record ProfileRegistered(UUID customerId, Instant registeredAt, String source, String registrationChannel,
        String locale, String region) {
}
