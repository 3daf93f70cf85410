package io.custops.campaign.rest.dto;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Budget periods and their pools as the API shows them. */
public final class BudgetDtos {
    private BudgetDtos() {
    }

    /** A period's budget; {@code shares} per pool in percent (default strategic 15, tactical 45, operational 40; they add up to 100). */
    public record PeriodRequest(String name, LocalDate startsOn, LocalDate endsOn, BigDecimal total, String currency,
            Map<String, BigDecimal> shares) {
    }

    public record PoolView(UUID id, String kind, BigDecimal share, BigDecimal amount, BigDecimal spent, BigDecimal remaining) {
    }

    public record PeriodView(UUID id, String name, LocalDate startsOn, LocalDate endsOn, BigDecimal total, String currency, List<PoolView> pools) {
    }
}
