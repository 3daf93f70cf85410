package io.custops.profile.rest.dto;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Profile completeness figures and recompute jobs. */
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

    /** A recompute of every stored score: state queued, running or completed; processed of total profiles. */
    public record Job(UUID id, String reason, String state, long processed, long changed, Long total, Instant createdAt,
            Instant startedAt, Instant finishedAt) {
    }
}
