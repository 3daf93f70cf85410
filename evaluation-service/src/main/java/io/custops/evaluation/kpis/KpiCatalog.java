package io.custops.evaluation.kpis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every KPI and the set-based statement that computes it. A KPI is a numerator over a denominator per period and group
 * (value = numerator / denominator × scale), so periods and groups add up exactly and rates are never averaged. KPIs
 * that share their facts are computed together, summed per customer class before the groups multiply the rows
 * ({@link #SCOPED}). The high-volume facts (orders, interactions, points) are read once per rollup run into day parts
 * per class ({@link Part}), which hold the distinct-customer counts for every grain; the other facts are read once per
 * group at the day grain. Longer grains are sums of days, or of the parts' per-grain counts.
 * <p>
 * Groups: {@code all}; a customer's current {@code tier}, {@code segment}s and {@code community}s (as-is slicing: a
 * customer's history counts in the groups it is in now); and, for message KPIs, {@code campaign}, {@code budget-pool}
 * and {@code channel}. Statements take {@code :grain} (day, week, month, quarter), {@code :step} (one period as an
 * interval), {@code :from}/{@code :to} (period-aligned dates, {@code to} exclusive), {@code :zone} and {@code :currency}.
 */
public final class KpiCatalog {
    public enum Unit { COUNT, CURRENCY, PERCENT, SCORE, AVERAGE, HOURS }

    /** The groupings a KPI is rolled up by. */
    public static final List<String> DIMENSIONS = List.of("all", "tier", "segment", "community", "campaign", "budget-pool", "channel");

    /**
     * @param cumulative the value at a period is over everything up to its end (running totals), not over the period
     * @param perPeriod the denominator is one per period (a count or an amount): a quiet period is a zero, and over several
     *        periods the value is the average per period
     * @param lowerIsBetter a fall is good news (complaints, refunds, unsubscribes, cost, response time)
     * @param distinct counts customers per period, so a week, month or quarter is computed from its own counts in the day
     *        parts; every other KPI of a longer period is the sum of its days (or, cumulative, its last day)
     */
    public record Kpi(String name, Unit unit, double scale, boolean cumulative, boolean perPeriod, boolean lowerIsBetter, boolean distinct,
            String description) {
        Kpi ratio() {
            return new Kpi(name, unit, scale, cumulative, false, lowerIsBetter, distinct, description);
        }

        Kpi lowerBetter() {
            return new Kpi(name, unit, scale, cumulative, perPeriod, true, distinct, description);
        }

        Kpi ofDistinctCustomers() {
            return new Kpi(name, unit, scale, cumulative, perPeriod, lowerIsBetter, true, description);
        }

        /** Whether a change in this direction is good news; null for no change. */
        public Boolean favourable(double change) {
            return change == 0 ? null : change > 0 != lowerIsBetter;
        }
    }

    record Group(String name, List<Kpi> kpis, String sql) {
    }

    private static final String PERIOD = "CAST(date_trunc(:grain, %s AT TIME ZONE :zone) AS date)";

    static String period(String column) {
        return PERIOD.formatted(column);
    }

    static String inRange(String column) {
        return since(column, ":from");
    }

    /**
     * {@code scoped}: the rows of a {@code pc} CTE (sums per customer class and period) once for "all" and once per group
     * of the class. Customers in the same groups share a class (see V6__customer_classes.sql), so the groups multiply
     * class rows, not facts.
     */
    static final String SCOPED = """
            scoped AS (SELECT 'all' AS dim, '' AS dim_value, pc.* FROM pc
                UNION ALL SELECT g.dim, g.dim_value, pc.* FROM pc JOIN customer_class_group g ON g.class_id = pc.class_id)""";

    /** The period at the statement's grain of a day part's day. */
    static final String DAY_PERIOD = "CAST(date_trunc(:grain, CAST(day AS timestamp)) AS date)";

    /**
     * A table of day rows per customer class (V8__kpi_day_parts.sql), read by every grain's statements of the KPIs on it.
     * A day's rows depend only on facts up to that day, so each rollup run replaces the days from {@code :dayFrom} on
     * with {@link #select}: the rows of those days, from the facts of the customers with facts on them, each fact judged
     * against the customer's facts before it from {@code :periodsFrom} (the first day of the earliest period the run
     * recomputes at any grain) or {@code :previousFrom} (the same for the periods before those, which retention compares
     * with). A period starting on or after that start is exact. Statements also take {@code :zone}, {@code :currency}
     * and {@code :to}.
     */
    record Part(String table, String sql, String activeCustomers) {
        /** The part's rows from {@code :dayFrom} on; {@code everyone} reads all customers' facts (a full rebuild) without picking the active ones first. */
        String select(boolean everyone) {
            return sql.replace("{customers}", everyone ? "" : "AND customer_id IN (" + activeCustomers + ")");
        }
    }

    /** The customers with facts in {@code table} from {@code :dayFrom} on. */
    private static String active(String table, String column) {
        return "SELECT customer_id FROM %s WHERE %s".formatted(table, since(column, ":dayFrom"));
    }

    /** Orders and refunds per class and day (reporting-currency revenue and refunds). */
    private static final Part ORDER_DAYS = new Part("kpi_order_day", """
            SELECT coalesce(m.class_id, 0) AS class_id, s.day, sum(s.orders) AS orders, sum(s.revenue) AS revenue, sum(s.priced) AS priced,
                sum(s.refunds) AS refunds
            FROM (SELECT customer_id, CAST(placed_at AT TIME ZONE :zone AS date) AS day, 1 AS orders,
                    CASE WHEN currency = :currency THEN CAST(revenue AS double precision) ELSE 0 END AS revenue,
                    CASE WHEN currency = :currency THEN 1 ELSE 0 END AS priced, CAST(0 AS double precision) AS refunds
                FROM order_fact WHERE %1$s
                UNION ALL SELECT customer_id, CAST(refunded_at AT TIME ZONE :zone AS date), 0, 0, 0, CAST(amount AS double precision)
                FROM refund_fact WHERE currency = :currency AND %2$s) s
            LEFT JOIN customer_class_member m ON m.customer_id = s.customer_id
            GROUP BY 1, 2""".formatted(since("placed_at", ":dayFrom"), since("refunded_at", ":dayFrom")), null);

    /**
     * Buyers per class and day, for every grain at once: one sort of the orders by customer and time, where each order
     * sees the customer's two orders before it. An order counts its customer as a buyer of its period at a grain when it
     * is the first in that period; as returning when the order before it fell in the period before; as a repeat buyer
     * when it is the first and the customer had ordered before the period, or it is the second in the period of a
     * customer new in it. Nothing depends on later orders, so a day's counts are final once its orders are in. The
     * second grouping set counts the same per first-order day: the retention cohorts.
     */
    private static final Part BUYER_DAYS = new Part("kpi_buyer_day", """
            WITH f AS (SELECT customer_id, day, lag(day) OVER w AS prev, lag(day, 2) OVER w AS prev2
                FROM (SELECT customer_id, CAST(placed_at AT TIME ZONE :zone AS date) AS day FROM order_fact WHERE %1$s {customers}) o
                WINDOW w AS (PARTITION BY customer_id ORDER BY day)),
            x AS (SELECT coalesce(m.class_id, 0) AS class_id, CAST(c.first_order_at AT TIME ZONE :zone AS date) AS first_day, f.day, f.prev, %2$s
                FROM f LEFT JOIN customer_class_member m ON m.customer_id = f.customer_id LEFT JOIN customer_dim c ON c.customer_id = f.customer_id
                WHERE f.day >= CAST(:dayFrom AS date))
            SELECT GROUPING(class_id, first_day) AS grouping_set, class_id, first_day, day,
                count(*) FILTER (WHERE day = first_day AND prev IS DISTINCT FROM day) AS newcomers, %3$s, %4$s, %5$s
            FROM x GROUP BY GROUPING SETS ((class_id, day), (first_day, day))""".formatted(since("placed_at", ":previousFrom"), periodColumns(true),
            perGrain("buyers", "{pp} IS DISTINCT FROM {p}"), perGrain("returned", "{pp} = {p} - {step}"),
            perGrain("repeaters", "CASE WHEN {pp} IS DISTINCT FROM {p} THEN first_day < {p} ELSE coalesce(first_day >= {p}, true) AND {ppp} IS DISTINCT FROM {p} END")),
            active("order_fact", "placed_at"));

    /** Interactions and active customers (at every grain, as for buyers) per class and day. */
    private static final Part INTERACTION_DAYS = new Part("kpi_interaction_day", """
            WITH f AS (SELECT customer_id, day, lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS prev
                FROM (SELECT customer_id, CAST(occurred_at AT TIME ZONE :zone AS date) AS day FROM interaction_fact WHERE %1$s {customers}) i),
            x AS (SELECT coalesce(m.class_id, 0) AS class_id, f.day, %2$s FROM f LEFT JOIN customer_class_member m ON m.customer_id = f.customer_id
                WHERE f.day >= CAST(:dayFrom AS date))
            SELECT class_id, day, count(*) AS interactions, %3$s FROM x GROUP BY 1, 2"""
            .formatted(since("occurred_at", ":periodsFrom"), periodColumns(false), perGrain("active", "{pp} IS DISTINCT FROM {p}")),
            active("interaction_fact", "occurred_at"));

    /** Points earned and redeemed, earning and redeeming members (at every grain, as for buyers) per class and day. */
    private static final Part POINTS_DAYS = new Part("kpi_points_day", """
            WITH f AS (SELECT customer_id, kind, points, day, lag(day) OVER (PARTITION BY customer_id, kind ORDER BY day) AS prev
                FROM (SELECT customer_id, kind, points, CAST(occurred_at AT TIME ZONE :zone AS date) AS day FROM points_fact WHERE %1$s {customers}) s),
            x AS (SELECT coalesce(m.class_id, 0) AS class_id, f.kind, f.points, f.day, %2$s
                FROM f LEFT JOIN customer_class_member m ON m.customer_id = f.customer_id WHERE f.day >= CAST(:dayFrom AS date))
            SELECT class_id, day, coalesce(sum(points) FILTER (WHERE kind = 'earned'), 0) AS earned,
                coalesce(sum(points) FILTER (WHERE kind = 'redeemed'), 0) AS redeemed, %3$s, %4$s
            FROM x GROUP BY 1, 2""".formatted(since("occurred_at", ":periodsFrom"), periodColumns(false),
            perGrain("earners", "kind = 'earned' AND {pp} IS DISTINCT FROM {p}"), perGrain("redeemers", "kind = 'redeemed' AND {pp} IS DISTINCT FROM {p}")),
            active("points_fact", "occurred_at"));

    static List<Part> parts() {
        return List.of(ORDER_DAYS, BUYER_DAYS, INTERACTION_DAYS, POINTS_DAYS);
    }

    /** The retention cohorts at the statement's grain: of each first-order period's customers, how many bought in each period. */
    static final String COHORTS = """
            SELECT CAST(date_trunc(:grain, CAST(first_day AS timestamp)) AS date) AS cohort, %s AS p, sum(%s) AS active
            FROM kpi_buyer_day WHERE grouping_set = 2 AND first_day IS NOT NULL AND day >= CAST(:from AS date) AND day < CAST(:to AS date)
            GROUP BY 1, 2""".formatted(DAY_PERIOD, ofGrain("buyers"));

    private static String since(String column, String from) {
        return "%1$s >= CAST(CAST(%2$s AS date) AS timestamp) AT TIME ZONE :zone AND %1$s < CAST(CAST(:to AS date) AS timestamp) AT TIME ZONE :zone"
                .formatted(column, from);
    }

    /** Each grain's period of the row's day (p_week), of the customer's previous fact day (pp_week) and, if asked, the one before (ppp_week). */
    private static String periodColumns(boolean twoBack) {
        List<String> columns = new java.util.ArrayList<>();
        for (String grain : KpiRollup.GRAINS) {
            columns.add(dayPeriod(grain, "f.day") + " AS p_" + grain);
            columns.add(dayPeriod(grain, "f.prev") + " AS pp_" + grain);
            if (twoBack) {
                columns.add(dayPeriod(grain, "f.prev2") + " AS ppp_" + grain);
            }
        }
        return String.join(", ", columns);
    }

    private static String dayPeriod(String grain, String day) {
        return "day".equals(grain) ? day : "CAST(date_trunc('%s', CAST(%s AS timestamp)) AS date)".formatted(grain, day);
    }

    /** A count per grain (name_day, name_week, …) of the rows meeting {@code condition} on {p}, {pp}, {ppp} and {step} at that grain. */
    private static String perGrain(String name, String condition) {
        List<String> columns = new java.util.ArrayList<>();
        for (String grain : KpiRollup.GRAINS) {
            String c = condition.replace("{ppp}", "ppp_" + grain).replace("{pp}", "pp_" + grain).replace("{p}", "p_" + grain)
                    .replace("{step}", "interval '" + Periods.interval(grain) + "'");
            columns.add("count(*) FILTER (WHERE %s) AS %s_%s".formatted(c, name, grain));
        }
        return String.join(", ", columns);
    }

    /** A part's per-grain column at the statement's grain. */
    private static String ofGrain(String name) {
        StringBuilder sql = new StringBuilder("CASE :grain");
        KpiRollup.GRAINS.forEach(g -> sql.append(" WHEN '").append(g).append("' THEN ").append(name).append('_').append(g));
        return sql.append(" END").toString();
    }

    /**
     * The {@code partials} (aggregates over {@code src} rows, each with an alias) per customer class and period, then
     * {@link #SCOPED}, whose partial columns the statement sums per group. {@code extraGroups} are (dimension, column)
     * pairs of {@code src}'s own columns (a message's campaign), summed per value in the same pass.
     */
    static String classed(String partials, String... extraGroups) {
        String classes = "SELECT coalesce(m.class_id, 0) AS class_id, s.* FROM src s LEFT JOIN customer_class_member m ON m.customer_id = s.customer_id";
        if (extraGroups.length == 0) {
            return "pc AS (SELECT class_id, p, %s FROM (%s) s GROUP BY class_id, p),\n".formatted(partials, classes) + SCOPED;
        }
        List<String> columns = new java.util.ArrayList<>();
        for (int i = 1; i < extraGroups.length; i += 2) {
            columns.add(extraGroups[i]);
        }
        StringBuilder sets = new StringBuilder("(class_id, p)");
        columns.forEach(c -> sets.append(", (").append(c).append(", p)"));
        StringBuilder sql = new StringBuilder("""
                pc AS (SELECT class_id, %1$s, p, GROUPING(class_id, %1$s) AS grouping_set, %2$s FROM (%3$s) s GROUP BY GROUPING SETS (%4$s)),
                scoped AS (SELECT 'all' AS dim, '' AS dim_value, pc.* FROM pc WHERE pc.class_id IS NOT NULL
                    UNION ALL SELECT g.dim, g.dim_value, pc.* FROM pc JOIN customer_class_group g ON g.class_id = pc.class_id"""
                .formatted(String.join(", ", columns), partials, classes, sets));
        for (int i = 0; i < columns.size(); i++) {
            // GROUPING sets a bit for each argument left out of the row's set: here all but this column
            int mask = ((1 << (columns.size() + 1)) - 1) & ~(1 << (columns.size() - 1 - i));
            sql.append("\n    UNION ALL SELECT '%s', CAST(pc.%s AS text), pc.* FROM pc WHERE pc.grouping_set = %d AND pc.%2$s IS NOT NULL"
                    .formatted(extraGroups[2 * i], columns.get(i), mask));
        }
        return sql.append(")").toString();
    }

    /**
     * A cumulative KPI from {@code scoped} rows (made by {@code scopedCtes}) with the period's (num, den) increments: per
     * group, the running totals over the periods, continued from the last rollup before the range (so a recompute from a
     * changed day needs no earlier facts).
     */
    static String runningTotals(String kpi, String scopedCtes) {
        return """
                %s,
                g AS (SELECT dim, dim_value, p, sum(num) AS num, sum(den) AS den FROM scoped GROUP BY dim, dim_value, p),
                base AS (SELECT DISTINCT ON (dim, dim_value) dim, dim_value, numerator, denominator FROM kpi_rollup
                    WHERE kpi = '%2$s' AND grain = :grain AND period_start < CAST(:from AS date) ORDER BY dim, dim_value, period_start DESC),
                periods AS (SELECT CAST(p AS date) AS p FROM generate_series(CAST(:from AS date), CAST(:to AS date) - interval '1 day',
                    CAST(CAST(:step AS text) AS interval)) p),
                groups AS (SELECT dim, dim_value FROM g UNION SELECT dim, dim_value FROM base),
                totals AS (SELECT gr.dim, gr.dim_value, pe.p,
                        coalesce(b.numerator, 0) + sum(coalesce(g.num, 0)) OVER w AS num, coalesce(b.denominator, 0) + sum(coalesce(g.den, 0)) OVER w AS den
                    FROM groups gr CROSS JOIN periods pe
                    LEFT JOIN g ON g.dim = gr.dim AND g.dim_value = gr.dim_value AND g.p = pe.p
                    LEFT JOIN base b ON b.dim = gr.dim AND b.dim_value = gr.dim_value
                    WINDOW w AS (PARTITION BY gr.dim, gr.dim_value ORDER BY pe.p))
                -- a group's totals carry on through quiet periods, from its first activity
                SELECT '%2$s' AS kpi, dim, dim_value, p AS period_start, num, den FROM totals WHERE num <> 0 OR den <> 0""".formatted(scopedCtes, kpi);
    }

    private static Kpi kpi(String name, Unit unit, String description) {
        return new Kpi(name, unit, unit == Unit.PERCENT ? 100 : 1, false, unit == Unit.COUNT || unit == Unit.CURRENCY, false, false, description);
    }

    private static final List<Group> GROUPS = List.of(
            new Group("orders", List.of(
                    kpi("net-revenue", Unit.CURRENCY, "Order revenue minus refunds in the period (reporting currency)."),
                    kpi("orders", Unit.COUNT, "Orders placed in the period (every currency)."),
                    kpi("average-order-value", Unit.CURRENCY, "Order revenue over orders, in the reporting currency.").ratio(),
                    kpi("refund-rate", Unit.PERCENT, "Refunded amount over order revenue in the period.").lowerBetter()), """
                    WITH pc AS (SELECT class_id, day AS p, orders, revenue, priced, refunds FROM kpi_order_day
                        WHERE day >= CAST(:from AS date) AND day < CAST(:to AS date)),
                    %s,
                    g AS (SELECT dim, dim_value, p, sum(revenue) AS revenue, sum(refunds) AS refunds, sum(orders) AS orders, sum(priced) AS priced
                          FROM scoped GROUP BY dim, dim_value, p)
                    SELECT k.kpi, g.dim, g.dim_value, g.p AS period_start, k.num, k.den FROM g CROSS JOIN LATERAL (VALUES
                        ('net-revenue', g.revenue - g.refunds, 1), ('orders', g.orders, 1),
                        ('average-order-value', g.revenue, g.priced), ('refund-rate', g.refunds, g.revenue)) k(kpi, num, den)""".formatted(SCOPED)),
            new Group("buyers", List.of(
                    kpi("buyers", Unit.COUNT, "Customers with at least one order in the period.").ofDistinctCustomers(),
                    kpi("repurchase-rate", Unit.PERCENT, "Share of the period's buyers who had bought before it or bought at least twice in it.")
                            .ofDistinctCustomers(),
                    kpi("retention-rate", Unit.PERCENT, "Share of the previous period's buyers who bought again in this period.").ofDistinctCustomers()), """
                    WITH pc AS (SELECT class_id, %1$s AS p, sum(%2$s) AS buyers, sum(%3$s) AS repeaters, sum(%4$s) AS returned
                        FROM kpi_buyer_day WHERE grouping_set = 1 AND day >= CAST(:from AS date) - CAST(CAST(:step AS text) AS interval)
                          AND day < CAST(:to AS date)
                        GROUP BY 1, 2),
                    %5$s,
                    g AS (SELECT dim, dim_value, p, sum(buyers) AS buyers, sum(repeaters) AS repeaters, sum(returned) AS returned
                          FROM scoped GROUP BY dim, dim_value, p)
                    SELECT k.kpi, g.dim, g.dim_value, g.p AS period_start, k.num, k.den
                    FROM g CROSS JOIN LATERAL (VALUES ('buyers', g.buyers, 1), ('repurchase-rate', g.repeaters, g.buyers)) k(kpi, num, den)
                    WHERE g.p >= CAST(:from AS date)
                    UNION ALL
                    -- of the previous period's buyers, those whose order before this period's first was in that period
                    SELECT 'retention-rate', b.dim, b.dim_value, CAST(b.p + CAST(CAST(:step AS text) AS interval) AS date), coalesce(n.returned, 0), b.buyers
                    FROM g b LEFT JOIN g n ON n.dim = b.dim AND n.dim_value = b.dim_value AND n.p = b.p + CAST(CAST(:step AS text) AS interval)
                    WHERE b.p + CAST(CAST(:step AS text) AS interval) >= CAST(:from AS date)
                      AND b.p + CAST(CAST(:step AS text) AS interval) < CAST(:to AS date)"""
                    .formatted(DAY_PERIOD, ofGrain("buyers"), ofGrain("repeaters"), ofGrain("returned"), SCOPED)),
            new Group("ltv", List.of(new Kpi("ltv", Unit.CURRENCY, 1, true, false, false, false,
                    "Customer lifetime value to date: net revenue up to the period's end over the customers who had ordered by then.")), """
                    WITH pc AS (SELECT class_id, day AS p, sum(num) AS num, sum(den) AS den FROM (
                            SELECT class_id, day, revenue - refunds AS num, 0 AS den FROM kpi_order_day
                            UNION ALL SELECT class_id, day, 0, newcomers FROM kpi_buyer_day WHERE grouping_set = 1) s
                        WHERE day >= CAST(:from AS date) AND day < CAST(:to AS date) GROUP BY 1, 2),
                    %s"""
                    .formatted(runningTotals("ltv", SCOPED))),
            new Group("feedback", List.of(
                    new Kpi("nps", Unit.SCORE, 100, false, false, false, false, "Net Promoter Score: promoters (9-10) minus detractors (0-6) over answers, -100 to 100."),
                    kpi("csat", Unit.AVERAGE, "Average CSAT answer (1-5)."),
                    kpi("complaints", Unit.COUNT, "Complaints submitted in the period.").lowerBetter(),
                    kpi("complaint-resolution-rate", Unit.PERCENT, "Share of the period's complaints that have been resolved.")), """
                    WITH src AS (SELECT customer_id, %1$s AS p, kind, score, resolved_at FROM feedback_fact WHERE %2$s),
                    %3$s,
                    g AS (SELECT dim, dim_value, p, sum(net) AS net, sum(answers) AS answers, sum(csat) AS csat, sum(csat_answers) AS csat_answers,
                            sum(complaints) AS complaints, sum(resolved) AS resolved
                          FROM scoped GROUP BY dim, dim_value, p)
                    SELECT k.kpi, g.dim, g.dim_value, g.p AS period_start, k.num, k.den FROM g CROSS JOIN LATERAL (VALUES
                        ('nps', g.net, g.answers), ('csat', g.csat, g.csat_answers), ('complaints', g.complaints, 1),
                        ('complaint-resolution-rate', g.resolved, g.complaints)) k(kpi, num, den)"""
                    .formatted(period("submitted_at"), inRange("submitted_at"), classed("""
                            count(*) FILTER (WHERE kind = 'nps' AND score >= 9) - count(*) FILTER (WHERE kind = 'nps' AND score <= 6) AS net,
                            count(*) FILTER (WHERE kind = 'nps') AS answers,
                            coalesce(sum(score) FILTER (WHERE kind = 'csat'), 0) AS csat, count(*) FILTER (WHERE kind = 'csat') AS csat_answers,
                            count(*) FILTER (WHERE kind = 'complaint') AS complaints,
                            count(*) FILTER (WHERE kind = 'complaint' AND resolved_at IS NOT NULL) AS resolved"""))),
            new Group("complaint-response", List.of(
                    kpi("complaint-response-hours", Unit.HOURS, "Average hours from a complaint to its resolution, by the period it was resolved in.").lowerBetter()), """
                    WITH src AS (SELECT customer_id, %1$s AS p, extract(epoch FROM resolved_at - submitted_at) / 3600 AS hours
                        FROM feedback_fact WHERE kind = 'complaint' AND resolved_at IS NOT NULL AND %2$s),
                    %3$s
                    SELECT 'complaint-response-hours' AS kpi, dim, dim_value, p AS period_start, sum(hours) AS num, sum(resolved) AS den
                    FROM scoped GROUP BY dim, dim_value, p""".formatted(period("resolved_at"), inRange("resolved_at"),
                    classed("sum(hours) AS hours, count(*) AS resolved"))),
            new Group("interactions", List.of(
                    kpi("interactions", Unit.COUNT, "Interactions recorded in the period."),
                    kpi("active-customers", Unit.COUNT, "Customers with at least one interaction in the period.").ofDistinctCustomers(),
                    kpi("interaction-frequency", Unit.AVERAGE, "Interactions per active customer.").ofDistinctCustomers()), """
                    WITH pc AS (SELECT class_id, %1$s AS p, sum(interactions) AS n, sum(%2$s) AS customers FROM kpi_interaction_day
                        WHERE day >= CAST(:from AS date) AND day < CAST(:to AS date) GROUP BY 1, 2),
                    %3$s,
                    g AS (SELECT dim, dim_value, p, sum(n) AS n, sum(customers) AS customers FROM scoped GROUP BY dim, dim_value, p)
                    SELECT k.kpi, g.dim, g.dim_value, g.p AS period_start, k.num, k.den FROM g CROSS JOIN LATERAL (VALUES
                        ('interactions', g.n, 1), ('active-customers', g.customers, 1), ('interaction-frequency', g.n, g.customers)) k(kpi, num, den)"""
                    .formatted(DAY_PERIOD, ofGrain("active"), SCOPED)),
            new Group("points", List.of(
                    kpi("points-earned", Unit.COUNT, "Loyalty points credited in the period."),
                    kpi("points-redeemed", Unit.COUNT, "Loyalty points spent on rewards in the period."),
                    kpi("points-redemption-rate", Unit.PERCENT, "Points redeemed over points earned in the period."),
                    kpi("points-usage-rate", Unit.PERCENT, "Members who redeemed points in the period over members who earned points in it.").ofDistinctCustomers()), """
                    WITH pc AS (SELECT class_id, %1$s AS p, sum(earned) AS earned, sum(redeemed) AS redeemed, sum(%2$s) AS earners,
                            sum(%3$s) AS redeemers
                        FROM kpi_points_day WHERE day >= CAST(:from AS date) AND day < CAST(:to AS date) GROUP BY 1, 2),
                    %4$s,
                    g AS (SELECT dim, dim_value, p, sum(earned) AS earned, sum(redeemed) AS redeemed, sum(earners) AS earners,
                            sum(redeemers) AS redeemers
                          FROM scoped GROUP BY dim, dim_value, p)
                    SELECT k.kpi, g.dim, g.dim_value, g.p AS period_start, k.num, k.den FROM g CROSS JOIN LATERAL (VALUES
                        ('points-earned', g.earned, 1), ('points-redeemed', g.redeemed, 1), ('points-redemption-rate', g.redeemed, g.earned),
                        ('points-usage-rate', g.redeemers, g.earners)) k(kpi, num, den)"""
                    .formatted(DAY_PERIOD, ofGrain("earners"), ofGrain("redeemers"), SCOPED)),
            new Group("registrations", List.of(
                    kpi("new-customers", Unit.COUNT, "Profiles registered in the period."),
                    kpi("referral-rate", Unit.PERCENT, "Share of the period's new customers who registered through a referral.")), """
                    WITH src AS (
                        SELECT customer_id, %1$s AS p, 1 AS registered, 0 AS referred FROM customer_dim WHERE registered_at IS NOT NULL AND %2$s
                        UNION ALL SELECT referee_id, %3$s, 0, 1 FROM referral_fact WHERE stage = 'registered' AND %4$s),
                    %5$s,
                    g AS (SELECT dim, dim_value, p, sum(registered) AS registered, sum(referred) AS referred FROM scoped GROUP BY dim, dim_value, p)
                    SELECT k.kpi, g.dim, g.dim_value, g.p AS period_start, k.num, k.den FROM g CROSS JOIN LATERAL (VALUES
                        ('new-customers', g.registered, 1), ('referral-rate', g.referred, g.registered)) k(kpi, num, den)"""
                    .formatted(period("registered_at"), inRange("registered_at"), period("completed_at"), inRange("completed_at"),
                            classed("sum(registered) AS registered, sum(referred) AS referred"))),
            new Group("completeness", List.of(new Kpi("profile-completeness", Unit.PERCENT, 100, true, false, false, false,
                    "Average completeness of the profiles known at the period's end (share of the attribute schema filled).")), """
                    WITH src AS (SELECT customer_id, %1$s AS p, delta AS num, first AS den FROM completeness_change WHERE %2$s),
                    %3$s""".formatted(period("changed_at"), inRange("changed_at"), runningTotals("profile-completeness", classed("sum(num) AS num, sum(den) AS den")))),
            new Group("messages", List.of(
                    kpi("messages-sent", Unit.COUNT, "Messages sent in the period (campaigns, journeys and the messages API)."),
                    kpi("delivery-rate", Unit.PERCENT, "Delivered (provider receipt) over sent."),
                    kpi("open-rate", Unit.PERCENT, "Opened over sent."),
                    kpi("click-rate", Unit.PERCENT, "Clicked over sent."),
                    kpi("click-to-open-rate", Unit.PERCENT, "Clicked over opened."),
                    kpi("conversion-rate", Unit.PERCENT, "Messages followed by an attributed order over sent."),
                    kpi("unsubscribe-rate", Unit.PERCENT, "Unsubscribes through the message over sent.").lowerBetter(),
                    kpi("campaign-revenue", Unit.CURRENCY, "Revenue of the orders attributed to the messages (reporting currency)."),
                    kpi("campaign-cost", Unit.CURRENCY, "What the messages cost their budget pools (reporting currency).").lowerBetter(),
                    kpi("roi", Unit.PERCENT, "Return on investment: (revenue - cost) over cost.")), """
                    WITH src AS (SELECT customer_id, campaign_id, budget_pool_id, channel, %1$s AS p, delivered_at, opened_at, clicked_at,
                            converted_at, unsubscribed_at,
                            CASE WHEN conversion_currency = :currency THEN conversion_revenue ELSE 0 END AS revenue,
                            CASE WHEN cost_currency = :currency THEN cost ELSE 0 END AS cost
                        FROM message_fact WHERE sent_at IS NOT NULL AND %2$s),
                    %3$s,
                    g AS (SELECT dim, dim_value, p, sum(sent) AS sent, sum(delivered) AS delivered, sum(opened) AS opened, sum(clicked) AS clicked,
                            sum(converted) AS converted, sum(unsubscribed) AS unsubscribed, sum(revenue) AS revenue, sum(cost) AS cost
                          FROM scoped GROUP BY dim, dim_value, p)
                    SELECT k.kpi, g.dim, g.dim_value, g.p AS period_start, k.num, k.den FROM g CROSS JOIN LATERAL (VALUES
                        ('messages-sent', g.sent, 1), ('delivery-rate', g.delivered, g.sent), ('open-rate', g.opened, g.sent),
                        ('click-rate', g.clicked, g.sent), ('click-to-open-rate', g.clicked, g.opened), ('conversion-rate', g.converted, g.sent),
                        ('unsubscribe-rate', g.unsubscribed, g.sent), ('campaign-revenue', g.revenue, 1), ('campaign-cost', g.cost, 1),
                        ('roi', g.revenue - g.cost, g.cost)) k(kpi, num, den)"""
                    .formatted(period("sent_at"), inRange("sent_at"), classed("""
                            count(*) AS sent, count(delivered_at) AS delivered, count(opened_at) AS opened, count(clicked_at) AS clicked,
                            count(converted_at) AS converted, count(unsubscribed_at) AS unsubscribed, coalesce(sum(revenue), 0) AS revenue,
                            coalesce(sum(cost), 0) AS cost""", "campaign", "campaign_id", "budget-pool", "budget_pool_id", "channel", "channel"))));

    private static final Map<String, Kpi> BY_NAME = new LinkedHashMap<>();
    static {
        GROUPS.forEach(g -> g.kpis().forEach(k -> BY_NAME.put(k.name(), k)));
    }

    private KpiCatalog() {
    }

    static List<Group> groups() {
        return GROUPS;
    }

    public static List<Kpi> all() {
        return List.copyOf(BY_NAME.values());
    }

    public static Optional<Kpi> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
