package io.custops.profile.rest.dto;

import java.math.BigDecimal;
import java.time.Instant;

/** Profile completeness figures. */
public final class CompletenessDtos {
    private CompletenessDtos() {
    }

    /**
     * Completeness over all profiles (0..1): the average and the shares at or above 50% and 80%, as of
     * {@code computedAt} (refreshed on a schedule).
     */
    public record Summary(long profiles, BigDecimal average, BigDecimal shareAtLeastHalf, BigDecimal shareAtLeast80,
            Instant computedAt) {
    }
}
