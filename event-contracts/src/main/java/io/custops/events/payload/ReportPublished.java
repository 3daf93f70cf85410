package io.custops.events.payload;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Data of {@code io.custops.evaluation.ReportPublished.v1}: a review was published. {@code kind} monthly, quarterly or
 * baseline; the period and the window it is compared with ({@code *End} inclusive); the headline, the biggest movers and
 * how many recommendations the report makes. The whole report (JSON or printable HTML) is at {@code /api/reports/{reportId}}.
 */
public record ReportPublished(UUID reportId, String kind, String grain, LocalDate periodStart, LocalDate periodEnd, LocalDate comparisonStart,
        LocalDate comparisonEnd, boolean scheduled, String headline, List<Mover> movers, int recommendations, Instant publishedAt) {

    /** A KPI that moved: its relative change (0.1 = +10%) and whether that is good news. */
    public record Mover(String kpi, BigDecimal change, boolean favourable) {
    }
}
