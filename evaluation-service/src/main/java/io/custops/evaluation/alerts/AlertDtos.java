package io.custops.evaluation.alerts;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** Alert rules and alerts as the API reads and writes them. */
public final class AlertDtos {
    private AlertDtos() {
    }

    /** Levels of a rule: at least one; for {@code above} info ≤ warning ≤ critical, for {@code below} the reverse. */
    public record Levels(Double info, Double warning, Double critical) {
    }

    /**
     * @param dimValue        one group of {@code dim}; absent: every group of it, each judged on its own
     * @param periods         consecutive complete periods the condition must hold (default 1)
     * @param baselinePeriods periods before those that make the baseline (default: 28 days, 8 weeks, 3 months or 4 quarters)
     * @param minDenominator  periods with a smaller denominator (e.g. fewer answers) are not judged (default 0)
     * @param version         for updates: the version read (optimistic locking)
     */
    public record RuleRequest(String name, String kpi, String grain, String dim, String dimValue, String mode, String direction, Levels levels,
            Integer periods, Integer baselinePeriods, Double minDenominator, Boolean enabled, Integer version) {
    }

    public record RuleView(UUID id, String name, String kpi, String grain, String dim, String dimValue, String mode, String direction, Levels levels,
            int periods, int baselinePeriods, double minDenominator, boolean enabled, int version, String createdBy, Instant createdAt,
            Instant updatedAt) {
    }

    public record AlertView(UUID id, UUID ruleId, String ruleName, String kpi, String grain, String dim, String dimValue, LocalDate periodStart,
            String severity, double value, Double baseline, Double threshold, String status, Instant raisedAt, Instant lastSeenAt,
            String acknowledgedBy, Instant acknowledgedAt, String resolvedBy, Instant resolvedAt, String note) {
    }

    public record AlertAction(String note) {
    }
}
