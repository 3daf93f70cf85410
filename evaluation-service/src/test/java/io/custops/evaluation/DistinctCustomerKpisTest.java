package io.custops.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.custops.evaluation.kpis.KpiRollup;
import io.custops.evaluation.kpis.Periods;
import io.custops.local.testing.TestSql;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/**
 * The KPIs that count distinct customers (buyers, repeat buyers, retention, active customers, points usage, cohorts) at
 * every grain, on random orders, interactions and points of 60 customers over 2016–2017, against a plain reference
 * computed here customer by customer; then a late order, interaction and redemption early in the range, rolled up from
 * their days only, against the reference again. Facts are written straight into the fact tables: the consumers are tested elsewhere.
 */
@QuarkusTest
class DistinctCustomerKpisTest {
    private static final List<String> GRAINS = List.of("day", "week", "month", "quarter");
    private static final LocalDate FIRST = LocalDate.parse("2016-11-01");

    @Inject
    KpiRollup rollup;

    private final String segment = UUID.randomUUID().toString();
    private final Map<UUID, TreeSet<LocalDate>> orders = new HashMap<>();
    private final Map<UUID, TreeSet<LocalDate>> interactions = new HashMap<>();
    private final Map<UUID, TreeSet<LocalDate>> earned = new HashMap<>();
    private final Map<UUID, TreeSet<LocalDate>> redeemed = new HashMap<>();
    /** Every order's day, two orders on a day twice. */
    private final Map<UUID, List<LocalDate>> orderDays = new HashMap<>();
    private final Map<UUID, TreeSet<OffsetDateTime>> orderTimes = new HashMap<>();
    private final List<String> orderRows = new ArrayList<>();

    @Test
    void distinctCountsMatchAReferenceAtEveryGrainAndAfterALateOrder() throws Throwable {
        Random random = new Random(20261201);
        List<UUID> customers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            UUID c = UUID.randomUUID();
            customers.add(c);
            TestSql.update("INSERT INTO customer_dimension (customer_id, dim, dim_value) VALUES (?, 'segment', ?)", c, segment);
            // clustered activity, so that days, weeks and months hold several facts of one customer
            LocalDate around = FIRST.plusDays(random.nextInt(400));
            for (int n = random.nextInt(12); n > 0; n--) {
                LocalDate day = around.plusDays(random.nextInt(120));
                order(c, day, random.nextInt(12));
                if (random.nextInt(5) == 0) {
                    order(c, day, 12 + random.nextInt(12)); // two orders in a day
                }
            }
            for (int n = random.nextInt(10); n > 0; n--) {
                fact(interactions, c, around.plusDays(random.nextInt(90)));
            }
            for (int n = random.nextInt(6); n > 0; n--) {
                fact(random.nextBoolean() ? earned : redeemed, c, around.plusDays(random.nextInt(90)));
            }
        }
        writeFacts();
        VertxContextSupport.subscribeAndAwait(() -> rollup.recomputeAll());
        assertMatchesReference();

        // a late order a year back for a customer who had bought later only: it becomes their first, and every later period of theirs
        // changes (repeat buyer, retention, cohort)
        UUID late = customers.stream().filter(c -> orders.containsKey(c) && orders.get(c).first().isAfter(LocalDate.parse("2017-05-01"))).findFirst()
                .orElseThrow();
        orderRows.clear();
        LocalDate lateDay = orders.get(late).first().minusDays(100);
        order(late, lateDay, 11);
        writeOrders();
        TestSql.update("UPDATE customer_dim SET first_order_at = ? WHERE customer_id = ?", lateDay.atTime(11, 0).atOffset(ZoneOffset.UTC), late);
        // and, in the same run, a late interaction and a late redemption nine days on, of two other customers
        LocalDate lateActivity = lateDay.plusDays(9);
        UUID active = customers.get(1), redeeming = customers.get(2);
        fact(interactions, active, lateActivity);
        TestSql.update("INSERT INTO interaction_fact (customer_id, interaction_id, interaction_type, occurred_at) VALUES (?, 'distinct-late', 'login', ?)",
                active, lateActivity.atTime(8, 0).atOffset(ZoneOffset.UTC));
        fact(redeemed, redeeming, lateActivity);
        TestSql.update("INSERT INTO points_fact (kind, reference, customer_id, points, occurred_at) VALUES ('redeemed', ?, ?, 5, ?)",
                "distinct-late-" + redeeming, redeeming, lateActivity.atTime(8, 0).atOffset(ZoneOffset.UTC));
        TestSql.update("INSERT INTO kpi_dirty (day) VALUES (?) ON CONFLICT DO NOTHING", lateDay);
        int changed = VertxContextSupport.subscribeAndAwait(() -> rollup.rollUpChanges());
        assertThat(changed).isPositive();
        assertMatchesReference();
    }

    private void order(UUID customer, LocalDate day, int hour) {
        fact(orders, customer, day);
        List<LocalDate> days = orderDays.computeIfAbsent(customer, c -> new ArrayList<>());
        days.add(day);
        int n = days.size();
        orderTimes.computeIfAbsent(customer, c -> new TreeSet<>()).add(day.atTime(hour, 0).atOffset(ZoneOffset.UTC));
        orderRows.add("('%s', 'distinct-%s-%d', TIMESTAMPTZ '%sT%02d:00:00Z', 10, 'EUR', 'web')".formatted(customer, customer, n, day, hour));
    }

    private static void fact(Map<UUID, TreeSet<LocalDate>> facts, UUID customer, LocalDate day) {
        facts.computeIfAbsent(customer, c -> new TreeSet<>()).add(day);
    }

    private void writeFacts() {
        writeOrders();
        for (var e : orders.entrySet()) {
            TestSql.update("INSERT INTO customer_dim (customer_id, first_order_at) VALUES (?, ?) ON CONFLICT (customer_id) DO UPDATE SET first_order_at = excluded.first_order_at",
                    e.getKey(), orderTimes.get(e.getKey()).first());
        }
        List<String> rows = new ArrayList<>();
        interactions.forEach((c, days) -> days.forEach(d -> rows.add("('%s', 'distinct-%s-%s', 'login', TIMESTAMPTZ '%sT12:00:00Z')".formatted(c, c, d, d))));
        TestSql.update("INSERT INTO interaction_fact (customer_id, interaction_id, interaction_type, occurred_at) VALUES " + String.join(", ", rows));
        rows.clear();
        earned.forEach((c, days) -> days.forEach(d -> rows.add("('earned', 'distinct-%s-%s', '%s', 10, TIMESTAMPTZ '%sT12:00:00Z')".formatted(c, d, c, d))));
        redeemed.forEach((c, days) -> days.forEach(d -> rows.add("('redeemed', 'distinct-%s-%s', '%s', 5, TIMESTAMPTZ '%sT12:00:00Z')".formatted(c, d, c, d))));
        TestSql.update("INSERT INTO points_fact (kind, reference, customer_id, points, occurred_at) VALUES " + String.join(", ", rows));
    }

    private void writeOrders() {
        TestSql.update("INSERT INTO order_fact (customer_id, order_id, placed_at, revenue, currency, channel) VALUES " + String.join(", ", orderRows));
    }

    private void assertMatchesReference() {
        for (String grain : GRAINS) {
            Map<String, double[]> actual = rollups(grain);
            Map<String, double[]> expected = new TreeMap<>();
            Map<LocalDate, Set<UUID>> buyers = byPeriod(orders, grain);
            buyers.forEach((p, who) -> {
                expected.put("buyers " + p, new double[] { who.size(), 1 });
                long repeaters = who.stream().filter(c -> orders.get(c).first().isBefore(p)
                        || orderDays.get(c).stream().filter(d -> Periods.start(grain, d).equals(p)).count() >= 2).count();
                expected.put("repurchase-rate " + p, new double[] { repeaters, who.size() });
                LocalDate next = p.plus(Periods.length(grain));
                long back = who.stream().filter(c -> buyers.getOrDefault(next, Set.of()).contains(c)).count();
                expected.put("retention-rate " + next, new double[] { back, who.size() });
            });
            byPeriod(interactions, grain).forEach((p, who) -> expected.put("active-customers " + p, new double[] { who.size(), 1 }));
            Map<LocalDate, Set<UUID>> earners = byPeriod(earned, grain), redeemers = byPeriod(redeemed, grain);
            Set<LocalDate> pointPeriods = new TreeSet<>(earners.keySet());
            pointPeriods.addAll(redeemers.keySet());
            pointPeriods.forEach(p -> expected.put("points-usage-rate " + p,
                    new double[] { redeemers.getOrDefault(p, Set.of()).size(), earners.getOrDefault(p, Set.of()).size() }));
            assertThat(format(actual)).as(grain).isEqualTo(format(expected));

            Map<String, Long> cohorts = new TreeMap<>();
            buyers.forEach((p, who) -> who.forEach(c -> cohorts.merge(Periods.start(grain, orders.get(c).first()) + " " + p, 1L, Long::sum)));
            assertThat(cohorts(grain)).as("cohorts by " + grain).isEqualTo(cohorts);
        }
    }

    private static Map<LocalDate, Set<UUID>> byPeriod(Map<UUID, TreeSet<LocalDate>> facts, String grain) {
        Map<LocalDate, Set<UUID>> periods = new TreeMap<>();
        facts.forEach((c, days) -> days.forEach(d -> periods.computeIfAbsent(Periods.start(grain, d), p -> new java.util.HashSet<>()).add(c)));
        return periods;
    }

    private Map<String, double[]> rollups(String grain) {
        String rows = TestSql.value("""
                SELECT string_agg(kpi || ' ' || period_start || ' ' || numerator || ' ' || denominator, ';') FROM kpi_rollup
                WHERE grain = ? AND dim = 'segment' AND dim_value = ?
                  AND kpi IN ('buyers', 'repurchase-rate', 'retention-rate', 'active-customers', 'points-usage-rate')""", grain, segment);
        Map<String, double[]> result = new TreeMap<>();
        for (String row : rows.split(";")) {
            String[] f = row.split(" ");
            result.put(f[0] + " " + f[1], new double[] { Double.parseDouble(f[2]), Double.parseDouble(f[3]) });
        }
        return result;
    }

    private static Map<String, Long> cohorts(String grain) {
        String rows = TestSql.value("""
                SELECT string_agg(cohort_start || ' ' || period_start || ' ' || active, ';') FROM cohort_rollup
                WHERE grain = ? AND cohort_start >= DATE '2016-01-01' AND cohort_start < DATE '2018-06-01'""", grain);
        return java.util.Arrays.stream(rows.split(";")).map(r -> r.split(" "))
                .collect(Collectors.toMap(f -> f[0] + " " + f[1], f -> Long.parseLong(f[2]), Long::sum, TreeMap::new));
    }

    private static Map<String, String> format(Map<String, double[]> rows) {
        return rows.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue()[0] + "/" + e.getValue()[1], (a, b) -> a,
                TreeMap::new));
    }
}
