package io.custops.events.payload;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Data of {@code io.custops.evaluation.KpiAlertRaised.v1}: a KPI alert rule was breached in the group {@code dimValue} of
 * {@code dim} over the {@code periods} periods ending with the one starting {@code periodStart}; {@code baseline} is set for
 * deviation rules; {@code escalated} when an open alert rose to a higher severity.
 */
public record KpiAlertRaised(UUID alertId, UUID ruleId, String ruleName, String kpi, String grain, String dim, String dimValue,
        LocalDate periodStart, int periods, String severity, BigDecimal value, BigDecimal baseline, BigDecimal threshold, boolean escalated,
        Instant raisedAt) {
}
