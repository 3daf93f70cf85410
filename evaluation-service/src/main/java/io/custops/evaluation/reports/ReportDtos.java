package io.custops.evaluation.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.custops.evaluation.kpis.KpiDtos.Migration;
import io.custops.evaluation.scorecard.Scorecard;

/** What the reports API takes and returns. Values are in each KPI's unit; changes are relative (0.1 = +10%). */
public final class ReportDtos {
    private ReportDtos() {
    }

    /** {@code kind} monthly, quarterly or baseline; {@code period} a day in the (last) period; {@code programmeStart} for baseline. */
    public record ReportRequest(String kind, LocalDate period, LocalDate programmeStart) {
    }

    /** A run of whole periods, {@code end} inclusive. */
    public record Window(LocalDate start, LocalDate end, int periods) {
    }

    /** One KPI for all customers: the period's value, the comparison's, the relative change and whether it is good news. */
    public record KpiLine(String kpi, String unit, String description, Double value, Double comparison, Double change, Double yearAgo,
            Boolean favourable) {
    }

    /**
     * A group's part in a KPI's change, in the KPI's unit: the group's contributions add up to the whole change when the
     * groups split the customers (tiers, channels); segments and communities overlap, so theirs may add up to more.
     */
    public record Driver(String dim, String dimValue, String label, Double value, Double comparison, double contribution, Double share) {
    }

    public record Mover(String kpi, String unit, Double value, Double comparison, double change, boolean favourable, List<Driver> drivers) {
    }

    /** A recommendation from the rule {@code rule} on the KPI's change; {@code focus} names the group that drove it, if any. */
    public record Recommendation(String rule, String kpi, String priority, String text, String focus) {
    }

    public record AlertLine(UUID id, String rule, String kpi, String severity, String dimValue, LocalDate periodStart, String status) {
    }

    /** A full review's extras: the scorecard of the period and the tier migration within it. */
    public record Extras(Scorecard.Result scorecard, Migration tierMigration) {
    }

    public record Body(String headline, List<KpiLine> summary, List<Mover> movers, List<Recommendation> recommendations, List<AlertLine> alerts,
            Extras extras) {
    }

    /** A published report's headline and its first three recommendations' texts, so that a list can show them. */
    public record Digest(String headline, List<String> recommendations) {
    }

    /** A report: {@code status} building, published or failed; {@code digest} and {@code body} once published. */
    public record Report(UUID id, String kind, String grain, String status, Window period, Window comparison, Window yearAgo,
            LocalDate programmeStart, String currency, boolean scheduled, String requestedBy, Instant requestedAt, Instant publishedAt,
            String error, Digest digest, Body body) {
    }

    /** A page of reports with their digests but without their bodies, newest first; {@code nextBefore} fetches the next page. */
    public record ReportPage(List<Report> reports, String nextBefore) {
    }
}
