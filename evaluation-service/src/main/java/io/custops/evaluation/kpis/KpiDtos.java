package io.custops.evaluation.kpis;

import java.time.LocalDate;
import java.util.List;

/** What the KPI API returns. Values are null where their denominator is zero (a rate of nothing); change is relative. */
public final class KpiDtos {
    private KpiDtos() {
    }

    public record KpiInfo(String name, String unit, boolean cumulative, boolean lowerIsBetter, String description) {
    }

    public record Point(LocalDate period, Double value, double numerator, double denominator, Double change) {
    }

    /** One group's series: {@code dimValue} is the tier, segment id, community id, campaign id, pool id or channel; "" for all. */
    public record Series(String dimValue, String label, List<Point> points) {
    }

    public record SeriesResponse(String kpi, String unit, String description, String grain, String dim, String currency, List<Series> series) {
    }

    public record SummaryItem(String kpi, String unit, Double value, Double previous, Double change) {
    }

    public record Summary(String grain, LocalDate period, LocalDate previousPeriod, String currency, List<SummaryItem> kpis) {
    }

    public record Cohort(LocalDate cohort, long customers, List<Retention> retention) {
        public record Retention(int offset, LocalDate period, long active, Double rate) {
        }
    }

    public record Migration(String dimension, LocalDate from, LocalDate to, List<Cell> moves) {
        public record Cell(String from, String to, long customers) {
        }
    }

    public record Distribution(String value, long customers, double share) {
    }

    /** {@code buckets[i]} counts health 10·i to 10·i+9 (the last bucket includes 100). */
    public record HealthDay(LocalDate day, List<Long> buckets, long customers, long atRisk, long churnRisk, long under40) {
    }
}
