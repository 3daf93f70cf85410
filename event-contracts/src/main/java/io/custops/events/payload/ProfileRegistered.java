package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.profile.ProfileRegistered.v1}. Events carry no PII: of the birthday only its month and
 * day ({@code MM-dd}), for birthday segments and journeys.
 */
public record ProfileRegistered(UUID customerId, Instant registeredAt, String source, String registrationChannel,
        String locale, String region, String birthdayMonthDay) {

    /** A registration without a birthday. */
    public ProfileRegistered(UUID customerId, Instant registeredAt, String source, String registrationChannel, String locale,
            String region) {
        this(customerId, registeredAt, source, registrationChannel, locale, region, null);
    }
}
