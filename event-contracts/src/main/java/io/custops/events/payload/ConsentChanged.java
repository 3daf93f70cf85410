package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.profile.ConsentChanged.v1}: the consent for one channel and purpose is now
 * {@code granted} or {@code withdrawn}. Proof (which may hold an IP address or form data) stays in the profile
 * service.
 */
public record ConsentChanged(UUID customerId, String channel, String purpose, String status, String source,
        Instant changedAt) {
}
