package io.custops.evaluation.kpis;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.custops.evaluation.kpis.KpiDtos.Cohort;
import io.custops.evaluation.kpis.KpiDtos.Distribution;
import io.custops.evaluation.kpis.KpiDtos.HealthDay;
import io.custops.evaluation.kpis.KpiDtos.Migration;
import io.custops.evaluation.kpis.KpiDtos.Point;
import io.custops.evaluation.kpis.KpiDtos.Series;
import io.custops.evaluation.kpis.KpiDtos.SeriesResponse;
import io.custops.evaluation.kpis.KpiDtos.Summary;
import io.custops.evaluation.kpis.KpiDtos.SummaryItem;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads the rollups: every query is an index range over {@code kpi_rollup} or a small fact table, never a pass over the facts. */
@ApplicationScoped
public class KpiQueries {
    private static final int MAX_PERIODS = 400;

    private final Clock clock;
    private final KpiRollup rollup;

    public KpiQueries(Clock clock, KpiRollup rollup) {
        this.clock = clock;
        this.rollup = rollup;
    }

    /** A validated period range: {@code from} and {@code to} (inclusive) aligned to the grain; by default the last 12 periods. */
    public record Range(String grain, LocalDate from, LocalDate to) {
        public LocalDate end() {
            return to.plus(Periods.length(grain));
        }
    }

    public Range range(String grain, String from, String to) {
        String g = grain == null || grain.isBlank() ? "month" : grain;
        if (!Periods.isGrain(g)) {
            throw ProblemException.badRequest("grain must be day, week, month or quarter", List.of(new Problem.FieldError("grain", "unknown: " + g)));
        }
        LocalDate last = Periods.start(g, to == null || to.isBlank() ? today() : date("to", to));
        LocalDate first = from == null || from.isBlank() ? last.minus(Periods.length(g).multipliedBy(11)) : Periods.start(g, date("from", from));
        if (first.isAfter(last)) {
            throw ProblemException.badRequest("from is after to", List.of(new Problem.FieldError("from", "after to")));
        }
        if (Periods.between(g, first, last) >= MAX_PERIODS) {
            throw ProblemException.badRequest("at most " + MAX_PERIODS + " periods at a time", List.of(new Problem.FieldError("from", "range too long")));
        }
        return new Range(g, first, last);
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(rollup.zone()));
    }

    public static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.badRequest(field + " must be a date (YYYY-MM-DD)", List.of(new Problem.FieldError(field, "not a date: " + value)));
        }
    }

    public static KpiCatalog.Kpi kpi(String name) {
        return KpiCatalog.find(name).orElseThrow(() -> ProblemException.notFound("no KPI named " + name + " (see GET /api/kpis)"));
    }

    /** A KPI's series per group value of one dimension, each period with its value and the change from the period before. */
    public Uni<SeriesResponse> series(String name, Range range, String dim, String dimValue) {
        KpiCatalog.Kpi kpi = kpi(name);
        String d = dim == null || dim.isBlank() ? "all" : dim;
        if (!KpiCatalog.DIMENSIONS.contains(d)) {
            throw ProblemException.badRequest("unknown dimension", List.of(new Problem.FieldError("dim", "one of " + KpiCatalog.DIMENSIONS)));
        }
        // one period before the range, for the first period's change
        Map<String, Object> p = NativeSql.params("kpi", name, "grain", range.grain(), "dim", d, "value", dimValue,
                "from", range.from().minus(Periods.length(range.grain())), "to", range.end());
        return NativeSql.list("""
                SELECT r.dim_value, coalesce(s.name, r.dim_value), r.period_start, r.numerator, r.denominator FROM kpi_rollup r
                LEFT JOIN segment_name s ON r.dim = 'segment' AND CAST(s.segment_id AS text) = r.dim_value
                WHERE r.kpi = :kpi AND r.grain = :grain AND r.dim = :dim AND (CAST(:value AS text) IS NULL OR r.dim_value = :value)
                  AND r.period_start >= :from AND r.period_start < :to
                ORDER BY r.dim_value, r.period_start LIMIT 20000""", Object[].class, p)
                .map(rows -> {
                    Map<String, List<Object[]>> byValue = new LinkedHashMap<>();
                    rows.forEach(r -> byValue.computeIfAbsent((String) r[0], v -> new ArrayList<>()).add(r));
                    List<Series> series = new ArrayList<>();
                    byValue.forEach((value, list) -> {
                        List<Point> points = new ArrayList<>();
                        Double previous = null;
                        for (Object[] r : list) {
                            LocalDate period = (LocalDate) r[2];
                            Double v = value(kpi, ((Number) r[3]).doubleValue(), ((Number) r[4]).doubleValue());
                            if (!period.isBefore(range.from())) {
                                points.add(new Point(period, v, ((Number) r[3]).doubleValue(), ((Number) r[4]).doubleValue(), change(v, previous)));
                            }
                            previous = v;
                        }
                        series.add(new Series(value, (String) list.get(0)[1], points));
                    });
                    return new SeriesResponse(kpi.name(), kpi.unit().name().toLowerCase(), kpi.description(), range.grain(), d,
                            kpi.unit() == KpiCatalog.Unit.CURRENCY ? rollup.currency() : null, series);
                });
    }

    /** Every KPI of the "all" group in one period, with the period before and the change. */
    public Uni<Summary> summary(String grain, LocalDate period) {
        LocalDate start = Periods.start(grain, period);
        LocalDate previous = start.minus(Periods.length(grain));
        // every key column given, so the primary key finds the rows (a KPI, two periods) instead of a pass over all rollups
        return NativeSql.list("""
                SELECT kpi, period_start, numerator, denominator FROM kpi_rollup
                WHERE kpi = ANY (CAST(:kpis AS text[])) AND grain = :grain AND dim = 'all' AND dim_value = '' AND period_start IN (:start, :previous)""",
                Object[].class, Map.of("kpis", KpiCatalog.all().stream().map(KpiCatalog.Kpi::name).toArray(String[]::new), "grain", grain,
                        "start", start, "previous", previous))
                .map(rows -> {
                    Map<String, Double[]> values = new LinkedHashMap<>();
                    for (Object[] r : rows) {
                        KpiCatalog.Kpi kpi = KpiCatalog.find((String) r[0]).orElse(null);
                        if (kpi != null) {
                            values.computeIfAbsent(kpi.name(), k -> new Double[2])[start.equals(r[1]) ? 0 : 1] = value(kpi,
                                    ((Number) r[2]).doubleValue(), ((Number) r[3]).doubleValue());
                        }
                    }
                    List<SummaryItem> items = KpiCatalog.all().stream().map(k -> {
                        Double[] v = values.getOrDefault(k.name(), new Double[2]);
                        return new SummaryItem(k.name(), k.unit().name().toLowerCase(), v[0], v[1], change(v[0], v[1]));
                    }).toList();
                    return new Summary(grain, start, previous, rollup.currency(), items);
                });
    }

    /** Retention curves: per cohort (first-order period) its size and the share active in each later period. */
    public Uni<List<Cohort>> cohorts(Range range) {
        return NativeSql.list("""
                SELECT cohort_start, period_start, active FROM cohort_rollup
                WHERE grain = :grain AND cohort_start >= :from AND cohort_start < :to AND period_start < :to
                ORDER BY cohort_start, period_start""", Object[].class, Map.of("grain", range.grain(), "from", range.from(), "to", range.end()))
                .map(rows -> {
                    Map<LocalDate, List<Object[]>> byCohort = new LinkedHashMap<>();
                    rows.forEach(r -> byCohort.computeIfAbsent((LocalDate) r[0], c -> new ArrayList<>()).add(r));
                    List<Cohort> cohorts = new ArrayList<>();
                    byCohort.forEach((cohort, list) -> {
                        long size = list.stream().filter(r -> cohort.equals(r[1])).mapToLong(r -> ((Number) r[2]).longValue()).sum();
                        List<Cohort.Retention> curve = list.stream().map(r -> {
                            long active = ((Number) r[2]).longValue();
                            return new Cohort.Retention(Periods.between(range.grain(), cohort, (LocalDate) r[1]), (LocalDate) r[1], active,
                                    size == 0 ? null : 100.0 * active / size);
                        }).toList();
                        cohorts.add(new Cohort(cohort, size, curve));
                    });
                    return cohorts;
                });
    }

    /**
     * Who moved from where to where between {@code from} and the end of {@code to}: each customer who moved counts once,
     * from their state before their first move in the range to their state after their last.
     */
    public Uni<Migration> migrations(String dimension, Range range) {
        if (!"tier".equals(dimension) && !"stage".equals(dimension)) {
            throw ProblemException.badRequest("dimension must be tier or stage", List.of(new Problem.FieldError("dimension", "tier or stage")));
        }
        Map<String, Object> p = Map.of("dimension", dimension, "from", range.from(), "to", range.end(), "zone", rollup.zone().getId());
        return NativeSql.list("""
                WITH moves AS (SELECT customer_id, from_state, to_state, changed_at FROM state_change_fact
                    WHERE dimension = :dimension AND changed_at >= CAST(CAST(:from AS date) AS timestamp) AT TIME ZONE :zone
                      AND changed_at < CAST(CAST(:to AS date) AS timestamp) AT TIME ZONE :zone),
                firsts AS (SELECT DISTINCT ON (customer_id) customer_id, from_state FROM moves ORDER BY customer_id, changed_at),
                lasts AS (SELECT DISTINCT ON (customer_id) customer_id, to_state FROM moves ORDER BY customer_id, changed_at DESC)
                SELECT coalesce(f.from_state, 'none'), l.to_state, count(*) FROM firsts f JOIN lasts l USING (customer_id)
                GROUP BY 1, 2 ORDER BY 1, 2""", Object[].class, p)
                .map(rows -> new Migration(dimension, range.from(), range.end().minusDays(1), rows.stream()
                        .map(r -> new Migration.Cell((String) r[0], (String) r[1], ((Number) r[2]).longValue())).toList()));
    }

    /** The current distribution of customers over tiers or lifecycle stages, as of the last rollup run. */
    public Uni<List<Distribution>> distribution(String dimension) {
        if (!"tier".equals(dimension) && !"stage".equals(dimension)) {
            throw ProblemException.badRequest("dimension must be tier or stage", List.of(new Problem.FieldError("dimension", "tier or stage")));
        }
        return NativeSql.list("""
                SELECT value, customers, 100.0 * customers / sum(customers) OVER () FROM distribution_snapshot WHERE dimension = :dimension
                ORDER BY value""", Object[].class, Map.of("dimension", dimension))
                .map(rows -> rows.stream().map(r -> new Distribution((String) r[0], ((Number) r[1]).longValue(), ((Number) r[2]).doubleValue())).toList());
    }

    /** The health-index distribution per day (ten buckets), with at-risk, churn-risk and under-40 counts. */
    public Uni<List<HealthDay>> health(LocalDate from, LocalDate to) {
        return NativeSql.list("""
                SELECT day, bucket, customers, at_risk, churn_risk FROM health_snapshot WHERE day >= :from AND day <= :to ORDER BY day, bucket""",
                Object[].class, Map.of("from", from, "to", to))
                .map(rows -> {
                    Map<LocalDate, long[][]> days = new LinkedHashMap<>();
                    for (Object[] r : rows) {
                        long[][] d = days.computeIfAbsent((LocalDate) r[0], k -> new long[][] { new long[10], new long[3] });
                        int bucket = ((Number) r[1]).intValue();
                        d[0][bucket] = ((Number) r[2]).longValue();
                        d[1][0] += ((Number) r[3]).longValue();
                        d[1][1] += ((Number) r[4]).longValue();
                        d[1][2] += bucket < 4 ? ((Number) r[2]).longValue() : 0;
                    }
                    List<HealthDay> result = new ArrayList<>();
                    days.forEach((day, d) -> result.add(new HealthDay(day, java.util.Arrays.stream(d[0]).boxed().toList(),
                            java.util.Arrays.stream(d[0]).sum(), d[1][0], d[1][1], d[1][2])));
                    return result;
                });
    }

    public static Double value(KpiCatalog.Kpi kpi, double numerator, double denominator) {
        return denominator == 0 ? null : numerator / denominator * kpi.scale();
    }

    /** Relative change from the previous value (0.1 = +10%); null when there is nothing to compare with. */
    static Double change(Double value, Double previous) {
        return value == null || previous == null || previous == 0 ? null : (value - previous) / Math.abs(previous);
    }
}
