package io.custops.events.payload;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Data of {@code io.custops.profile.ProfileUpdated.v1}: which fields changed (names only, never values: events
 * carry no PII) and the new completeness score; when the birthday changed, its month and day (never the year) for
 * birthday segments and journeys.
 */
public record ProfileUpdated(UUID customerId, List<String> changedFields, BigDecimal completeness, Instant updatedAt,
        String birthdayMonthDay) {

    /** An update that does not touch the birthday. */
    public ProfileUpdated(UUID customerId, List<String> changedFields, BigDecimal completeness, Instant updatedAt) {
        this(customerId, changedFields, completeness, updatedAt, null);
    }

    /** The month and day of a birthday as events carry it ({@code MM-dd}); never the year. */
    public static String monthDay(java.time.LocalDate birthday) {
        return birthday == null ? null : String.format("%02d-%02d", birthday.getMonthValue(), birthday.getDayOfMonth());
    }
}
