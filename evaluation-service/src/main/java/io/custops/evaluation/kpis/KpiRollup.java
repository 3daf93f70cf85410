package io.custops.evaluation.kpis;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.custops.platform.persistence.NativeSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Computes the KPI rollups, the retention cohorts and today's health distribution from the facts, set-based in
 * PostgreSQL. On schedule it recomputes from the earliest day whose facts changed (aligned to each grain's period, so
 * a late event corrects its whole week, month and quarter); {@link #recomputeAll()} rebuilds everything. Each run is
 * one transaction (readers never see half a recompute) under an advisory lock (one replica at a time).
 */
@ApplicationScoped
public class KpiRollup {
    private static final Logger LOG = Logger.getLogger(KpiRollup.class);
    private static final long LOCK = 0x6b70692d726f6c6cL;
    static final List<String> GRAINS = List.of("day", "week", "month", "quarter");

    private final String currency;
    private final ZoneId zone;
    private final String workMem;
    private final Clock clock;

    public KpiRollup(@ConfigProperty(name = "custops.kpis.currency") String currency, @ConfigProperty(name = "custops.kpis.time-zone") ZoneId zone,
            @ConfigProperty(name = "custops.kpis.work-mem") String workMem, Clock clock) {
        if (!workMem.matches("\\d+(kB|MB|GB)")) {
            throw new IllegalArgumentException("custops.kpis.work-mem must be like 256MB, not " + workMem);
        }
        this.currency = currency;
        this.zone = zone;
        this.workMem = workMem;
        this.clock = clock;
    }

    public String currency() {
        return currency;
    }

    public ZoneId zone() {
        return zone;
    }

    @Scheduled(every = "${custops.kpis.rollup-interval:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return rollUpChanges().onFailure().invoke(f -> LOG.warn("KPI rollup failed, the next run retries", f)).onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Recomputes from the earliest changed day; the number of days that had changed (0 when another replica holds the lock). */
    public Uni<Integer> rollUpChanges() {
        return Panache.withTransaction(() -> locked().flatMap(got -> !got ? Uni.createFrom().item(0)
                : refreshClasses().flatMap(x -> NativeSql.list("DELETE FROM kpi_dirty RETURNING day", LocalDate.class, Map.of()))
                        .flatMap(days -> days.isEmpty() ? snapshotHealth().replaceWith(0)
                                // a UTC day may start a day earlier in the reporting zone
                                : compute(days.stream().min(LocalDate::compareTo).orElseThrow().minusDays(1), false).replaceWith(days.size()))));
    }

    /** Rebuilds every rollup from the first fact on. */
    public Uni<Void> recomputeAll() {
        return Panache.withTransaction(() -> locked().flatMap(got -> !got ? Uni.createFrom().failure(new IllegalStateException("a rollup is running"))
                : refreshClasses().flatMap(x -> NativeSql.execute("DELETE FROM kpi_dirty", Map.of())).flatMap(x -> NativeSql.list("""
                        SELECT CAST(least((SELECT min(placed_at) FROM order_fact), (SELECT min(refunded_at) FROM refund_fact),
                            (SELECT min(occurred_at) FROM interaction_fact), (SELECT min(submitted_at) FROM feedback_fact),
                            (SELECT min(occurred_at) FROM points_fact), (SELECT min(completed_at) FROM referral_fact),
                            (SELECT min(sent_at) FROM message_fact), (SELECT min(registered_at) FROM customer_dim),
                            (SELECT min(changed_at) FROM completeness_change)) AT TIME ZONE 'UTC' AS date)""", LocalDate.class, Map.of()))
                        .flatMap(first -> first.isEmpty() || first.get(0) == null ? snapshotHealth()
                                : NativeSql.execute("DELETE FROM kpi_rollup", Map.of()).flatMap(x -> NativeSql.execute("DELETE FROM cohort_rollup", Map.of()))
                                        .flatMap(x -> compute(first.get(0).minusDays(1), true)))));
    }

    /**
     * Moves the customers whose groups changed since the last run (marked by customer_dimension's triggers) to the class
     * of their groups now, making new classes as needed; a customer in no group leaves its class. Group values never hold
     * the separators (ASCII 30 and 31).
     */
    private static Uni<Integer> refreshClasses() {
        return NativeSql.execute("""
                WITH changed AS (DELETE FROM customer_class_dirty RETURNING customer_id),
                sig AS (SELECT c.customer_id, string_agg(d.dim || chr(31) || d.dim_value, chr(30) ORDER BY d.dim, d.dim_value) AS signature
                    FROM changed c LEFT JOIN customer_dimension d ON d.customer_id = c.customer_id GROUP BY c.customer_id),
                added AS (INSERT INTO customer_class (signature) SELECT DISTINCT signature FROM sig WHERE signature IS NOT NULL
                    ON CONFLICT (signature) DO NOTHING RETURNING class_id, signature),
                added_groups AS (INSERT INTO customer_class_group (class_id, dim, dim_value)
                    SELECT a.class_id, split_part(x, chr(31), 1), substr(x, strpos(x, chr(31)) + 1) FROM added a,
                        unnest(string_to_array(a.signature, chr(30))) x),
                classes AS (SELECT class_id, signature FROM added
                    UNION ALL SELECT k.class_id, k.signature FROM customer_class k WHERE k.signature IN (SELECT signature FROM sig)),
                left_all AS (DELETE FROM customer_class_member m USING sig WHERE m.customer_id = sig.customer_id AND sig.signature IS NULL)
                INSERT INTO customer_class_member (customer_id, class_id) SELECT s.customer_id, c.class_id FROM sig s JOIN classes c USING (signature)
                ON CONFLICT (customer_id) DO UPDATE SET class_id = excluded.class_id""", Map.of());
    }

    private static Uni<Boolean> locked() {
        return NativeSql.single("SELECT pg_try_advisory_xact_lock(:lock)", Boolean.class, Map.of("lock", LOCK));
    }

    /**
     * The day parts from {@code since} first (see {@link KpiCatalog.Part}; {@code everyone} rebuilds them from all
     * customers' facts, otherwise only the customers with facts since then are read); then days from the facts and parts,
     * one statement per group of KPIs; then each longer grain from the days (sums, or the last day of cumulative KPIs),
     * with the KPIs that count distinct customers read from their parts' column for that grain.
     */
    private Uni<Void> compute(LocalDate since, boolean everyone) {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        LocalDate periodsFrom = GRAINS.stream().map(g -> Periods.start(g, since)).min(LocalDate::compareTo).orElseThrow();
        LocalDate previousFrom = GRAINS.stream().map(g -> Periods.start(g, since).minus(Periods.length(g))).min(LocalDate::compareTo).orElseThrow();
        LocalDate to = GRAINS.stream().map(g -> Periods.start(g, today).plus(Periods.length(g))).max(LocalDate::compareTo).orElseThrow();
        Map<String, Object> run = NativeSql.params("zone", zone.getId(), "currency", currency, "dayFrom", since, "periodsFrom", periodsFrom,
                "previousFrom", previousFrom, "to", to);
        Uni<Void> chain = NativeSql.execute("SET LOCAL work_mem = '" + workMem + "'", Map.of())
                // the parts read whole tables in customer order: walking an index for that visits the heap at random, which
                // costs far more than the planner's default assumes (3M interactions: 10 s against 1.6 s scanned and sorted)
                .flatMap(x -> NativeSql.execute("SET LOCAL random_page_cost = 8", Map.of())).replaceWithVoid();
        for (KpiCatalog.Part part : KpiCatalog.parts()) {
            chain = chain.flatMap(x -> NativeSql.execute(everyone ? "DELETE FROM " + part.table() : "DELETE FROM " + part.table()
                    + " WHERE day >= CAST(:dayFrom AS date)", run))
                    .flatMap(x -> NativeSql.execute("INSERT INTO " + part.table() + " " + part.select(everyone), run)).replaceWithVoid();
        }
        for (String grain : GRAINS) {
            Map<String, Object> params = NativeSql.params("grain", grain, "step", Periods.interval(grain), "from", Periods.start(grain, since),
                    "to", Periods.start(grain, today).plus(Periods.length(grain)), "zone", zone.getId(), "currency", currency);
            boolean day = "day".equals(grain);
            if (!day) {
                chain = chain.flatMap(x -> replace(params, KpiCatalog.all().stream().filter(k -> !k.distinct()).toList(), """
                        SELECT kpi, dim, dim_value, CAST(date_trunc(:grain, CAST(period_start AS timestamp)) AS date) AS period_start,
                            -- counts and amounts have a denominator of one per period
                            sum(numerator) AS num, CASE WHEN kpi = ANY (CAST(:perPeriod AS text[])) THEN 1 ELSE sum(denominator) END AS den
                        FROM kpi_rollup WHERE grain = 'day' AND NOT kpi = ANY (CAST(:cumulative AS text[]))
                          AND period_start >= CAST(:from AS date) AND period_start < CAST(:to AS date)
                        GROUP BY kpi, dim, dim_value, 4
                        UNION ALL
                        SELECT * FROM (SELECT DISTINCT ON (kpi, dim, dim_value, p) kpi, dim, dim_value, p, numerator, denominator
                            FROM (SELECT kpi, dim, dim_value, CAST(date_trunc(:grain, CAST(period_start AS timestamp)) AS date) AS p, period_start,
                                    numerator, denominator
                                FROM kpi_rollup WHERE grain = 'day' AND kpi = ANY (CAST(:cumulative AS text[]))
                                  AND period_start >= CAST(:from AS date) AND period_start < CAST(:to AS date)) days
                            ORDER BY kpi, dim, dim_value, p, period_start DESC) last_days"""));
            }
            for (KpiCatalog.Group group : KpiCatalog.groups()) {
                List<KpiCatalog.Kpi> kpis = group.kpis().stream().filter(k -> day || k.distinct()).toList();
                if (!kpis.isEmpty()) {
                    chain = chain.flatMap(x -> replace(params, kpis, group.sql()));
                }
            }
            chain = chain.flatMap(x -> cohorts(params));
        }
        return chain.flatMap(x -> snapshotHealth());
    }

    /** Replaces the rollup rows of {@code kpis} at the grain in the range with those {@code sql} computes (it may compute more). */
    private static Uni<Void> replace(Map<String, Object> params, List<KpiCatalog.Kpi> kpis, String sql) {
        String[] names = kpis.stream().map(KpiCatalog.Kpi::name).toArray(String[]::new);
        String[] cumulative = kpis.stream().filter(KpiCatalog.Kpi::cumulative).map(KpiCatalog.Kpi::name).toArray(String[]::new);
        String[] perPeriod = kpis.stream().filter(KpiCatalog.Kpi::perPeriod).map(KpiCatalog.Kpi::name).toArray(String[]::new);
        Map<String, Object> p = NativeSql.with(params, "kpis", names, "cumulative", cumulative, "perPeriod", perPeriod);
        return NativeSql.execute("""
                DELETE FROM kpi_rollup WHERE grain = :grain AND period_start >= CAST(:from AS date) AND period_start < CAST(:to AS date)
                    AND kpi = ANY (CAST(:kpis AS text[]))""", p)
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO kpi_rollup (kpi, grain, dim, dim_value, period_start, numerator, denominator)
                        SELECT kpi, :grain, dim, dim_value, period_start, CAST(num AS double precision), CAST(den AS double precision)
                        FROM (%s) k WHERE num IS NOT NULL AND den IS NOT NULL AND kpi = ANY (CAST(:kpis AS text[]))""".formatted(sql), p))
                .replaceWithVoid();
    }

    private static Uni<Void> cohorts(Map<String, Object> params) {
        return NativeSql.execute("DELETE FROM cohort_rollup WHERE grain = :grain AND period_start >= CAST(:from AS date)", params)
                .flatMap(x -> NativeSql.execute("INSERT INTO cohort_rollup (grain, cohort_start, period_start, active) SELECT :grain, cohort, p, active FROM ("
                        + KpiCatalog.COHORTS + ") c", params))
                .replaceWithVoid();
    }

    /** Today's health-index distribution (buckets of ten points) with its at-risk and churn-risk counts, and the current tier and stage distribution. */
    private Uni<Void> snapshotHealth() {
        Map<String, Object> p = Map.of("day", LocalDate.now(clock.withZone(zone)));
        return NativeSql.execute("DELETE FROM health_snapshot WHERE day = :day", p)
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO health_snapshot (day, bucket, customers, at_risk, churn_risk)
                        SELECT :day, least(health_index / 10, 9), count(*), count(*) FILTER (WHERE at_risk), count(*) FILTER (WHERE churn_risk)
                        FROM customer_dim WHERE health_index IS NOT NULL GROUP BY 2""", p))
                .flatMap(x -> NativeSql.execute("DELETE FROM distribution_snapshot", Map.of()))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO distribution_snapshot (dimension, value, customers)
                        SELECT CASE WHEN GROUPING(tier) = 0 THEN 'tier' ELSE 'stage' END, coalesce(tier, lifecycle_stage), count(*) FROM customer_dim
                        GROUP BY GROUPING SETS ((tier), (lifecycle_stage)) HAVING coalesce(tier, lifecycle_stage) IS NOT NULL""", Map.of()))
                .replaceWithVoid();
    }
}
