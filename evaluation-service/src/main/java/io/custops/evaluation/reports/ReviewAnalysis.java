package io.custops.evaluation.reports;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.custops.evaluation.kpis.KpiCatalog;
import io.custops.evaluation.kpis.KpiCatalog.Kpi;
import io.custops.evaluation.reports.ReportDtos.AlertLine;
import io.custops.evaluation.reports.ReportDtos.Driver;
import io.custops.evaluation.reports.ReportDtos.KpiLine;
import io.custops.evaluation.reports.ReportDtos.Mover;
import io.custops.evaluation.reports.ReportDtos.Recommendation;
import io.custops.evaluation.reports.ReportDtos.Window;

/**
 * The arithmetic of a review over rollup rows: each KPI's value in the period and in the comparison window, the biggest
 * movers, the groups that drove them, and the recommendations the rules derive. Pure: no database, so it is tested by hand.
 * <p>
 * Over a window of several periods a KPI is its numerators over its denominators (rates are pooled, never averaged);
 * counts and amounts are the average per period (quiet periods count as zero); cumulative KPIs take the window's last
 * period. A group's contribution to a change splits it exactly when the groups split the customers:
 * {@code c = (N'g − R·D'g)/D' − (Ng − R·Dg)/D}, with {@code R = N/D} the comparison's overall ratio.
 */
public final class ReviewAnalysis {
    /** One {@code kpi_rollup} row; {@code label} is a readable name for the group (the segment's name) or its value. */
    public record Row(String kpi, String dim, String dimValue, String label, LocalDate period, double numerator, double denominator) {
    }

    /**
     * @param movers how many KPIs to diagnose
     * @param drivers how many groups to name per mover
     * @param minChange the smallest relative change worth a mover or a recommendation (0.05 = 5%)
     * @param minVolume the smallest denominator (or count) on both sides for a change to be trusted
     */
    public record Settings(int movers, int drivers, double minChange, double minVolume) {
    }

    /**
     * A recommendation rule: when {@code kpi} rises ({@code onRise}) or falls by at least {@code minChange}, advise
     * {@code advice}. Rules are data: the text is fixed, only the group's name is added.
     */
    public record Rule(String id, String kpi, boolean onRise, double minChange, String advice) {
    }

    public static final List<Rule> RULES = List.of(
            new Rule("revenue-down", "net-revenue", false, 0.10, "Net revenue fell: check whether fewer customers bought or each bought less"
                    + " (buyers and average order value below), and aim a reactivation campaign at the group that fell most."),
            new Rule("aov-down", "average-order-value", false, 0.10, "Baskets got smaller: test bundles, a free-shipping threshold or"
                    + " cross-sell recommendations in the post-purchase journey."),
            new Rule("refunds-up", "refund-rate", true, 0.20, "More revenue is refunded: look for the products and orders behind the refunds"
                    + " and fix quality, sizing or delivery before adding promotions."),
            new Rule("repurchase-down", "repurchase-rate", false, 0.05, "Fewer buyers come back: add a post-purchase journey (thank-you,"
                    + " usage tips, a second-order offer around day 14) for first-time buyers."),
            new Rule("retention-down", "retention-rate", false, 0.05, "Retention fell: start a win-back journey for last period's buyers who"
                    + " have not returned, and watch the at-risk count in the health distribution."),
            new Rule("nps-down", "nps", false, 0.10, "Promoters are fewer: read the detractors' comments, follow each up within a day, and"
                    + " close the loop with the customers who complained."),
            new Rule("csat-down", "csat", false, 0.05, "Satisfaction with service fell: review the lowest-rated interactions and the"
                    + " response times of the teams involved."),
            new Rule("complaints-up", "complaints", true, 0.20, "Complaints rose: find their common cause (product, delivery, a campaign) and"
                    + " set a KPI alert on the complaint count so a repeat is caught early."),
            new Rule("resolution-down", "complaint-resolution-rate", false, 0.05, "Complaints are left open: staff the queue or route"
                    + " complaints by topic, and escalate those older than the service level."),
            new Rule("response-slower", "complaint-response-hours", true, 0.20, "Complaints take longer to resolve: set a response-time"
                    + " target and alert on it; answer first, resolve second."),
            new Rule("activity-down", "active-customers", false, 0.10, "Fewer customers interact: plan community activities or challenges"
                    + " and an engagement journey for the quiet ones."),
            new Rule("redemption-down", "points-redemption-rate", false, 0.10, "Members are hoarding points: promote rewards within reach of"
                    + " typical balances and remind members of points about to expire."),
            new Rule("usage-down", "points-usage-rate", false, 0.10, "Fewer earning members redeem: make a low-threshold reward visible and"
                    + " explain the programme in the welcome journey."),
            new Rule("acquisition-down", "new-customers", false, 0.15, "Fewer new customers registered: check the acquisition channels and"
                    + " refresh the referral incentive."),
            new Rule("referrals-down", "referral-rate", false, 0.15, "Fewer customers come through referrals: remind happy customers (NPS"
                    + " promoters) of their referral link and review the reward."),
            new Rule("completeness-down", "profile-completeness", false, 0.05, "Profiles are less complete: ask for the missing fields in"
                    + " onboarding and preference-centre messages, one or two at a time."),
            new Rule("opens-down", "open-rate", false, 0.10, "Fewer messages are opened: A/B test subject lines and send times, and stop"
                    + " mailing long-inactive recipients."),
            new Rule("clicks-down", "click-rate", false, 0.10, "Fewer recipients click: test the content and the call to action in an"
                    + " experiment before the next broadcast."),
            new Rule("conversion-down", "conversion-rate", false, 0.10, "Messages convert less: check the offer and the landing page, and"
                    + " compare the journeys' conversion with their control groups."),
            new Rule("unsubscribes-up", "unsubscribe-rate", true, 0.20, "More recipients unsubscribe: lower the frequency cap, target more"
                    + " narrowly and let recipients choose topics instead of leaving."),
            new Rule("roi-down", "roi", false, 0.10, "Campaign ROI fell: move budget from the pools and campaigns with the lowest return to those"
                    + " with the highest (see ROI by campaign and budget pool)."));

    private static final int CURRENT = 0, COMPARISON = 1, YEAR_AGO = 2;

    /** Sums of one KPI group over one window, and its last period's figures (for cumulative KPIs). */
    private static final class Totals {
        double num, den, lastNum, lastDen;
        LocalDate last;

        void add(Row r) {
            num += r.numerator();
            den += r.denominator();
            if (last == null || r.period().isAfter(last)) {
                last = r.period();
                lastNum = r.numerator();
                lastDen = r.denominator();
            }
        }
    }

    private record Key(String kpi, String dim, String dimValue) {
    }

    private final Window[] windows;
    private final Map<Key, Totals[]> totals = new HashMap<>();
    private final Map<Key, String> labels = new HashMap<>();
    private final Settings settings;
    private List<KpiLine> summary;

    /** @param yearAgo may be null */
    public ReviewAnalysis(List<Row> rows, Window period, Window comparison, Window yearAgo, Settings settings) {
        this.windows = new Window[] { period, comparison, yearAgo };
        this.settings = settings;
        for (Row r : rows) {
            int w = window(r.period());
            if (w >= 0) {
                Key key = new Key(r.kpi(), r.dim(), r.dimValue());
                totals.computeIfAbsent(key, k -> new Totals[3]);
                Totals[] t = totals.get(key);
                (t[w] == null ? t[w] = new Totals() : t[w]).add(r);
                labels.putIfAbsent(key, r.label());
            }
        }
    }

    private int window(LocalDate day) {
        for (int i = 0; i < windows.length; i++) {
            if (windows[i] != null && !day.isBefore(windows[i].start()) && !day.isAfter(windows[i].end())) {
                return i;
            }
        }
        return -1;
    }

    /** Numerator and denominator of a KPI group over a window (value = N / D × scale); null when it has nothing there. */
    private double[] nd(Kpi kpi, Key key, int w) {
        Totals[] all = totals.get(key);
        Totals t = all == null ? null : all[w];
        int periods = windows[w].periods();
        if (kpi.perPeriod()) {
            return new double[] { t == null ? 0 : t.num, periods };
        }
        if (t == null) {
            return null;
        }
        return kpi.cumulative() ? new double[] { t.lastNum, t.lastDen } : new double[] { t.num, t.den };
    }

    private static Double value(Kpi kpi, double[] nd) {
        return nd == null || nd[1] == 0 ? null : nd[0] / nd[1] * kpi.scale();
    }

    private Double value(Kpi kpi, Key key, int w) {
        return windows[w] == null ? null : value(kpi, nd(kpi, key, w));
    }

    private static Key all(Kpi kpi) {
        return new Key(kpi.name(), "all", "");
    }

    /** Relative change (0.1 = +10%); null without a comparison to divide by. */
    public static Double change(Double value, Double comparison) {
        return value == null || comparison == null || comparison == 0 ? null : (value - comparison) / Math.abs(comparison);
    }

    /** Every KPI of the "all" group: value, comparison, change and whether it is good news (computed once). */
    public List<KpiLine> summary() {
        if (summary == null) {
            summary = computeSummary();
        }
        return summary;
    }

    private List<KpiLine> computeSummary() {
        return KpiCatalog.all().stream().map(kpi -> {
            Double value = value(kpi, all(kpi), CURRENT), comparison = value(kpi, all(kpi), COMPARISON);
            Double change = change(value, comparison);
            return new KpiLine(kpi.name(), kpi.unit().name().toLowerCase(Locale.ROOT), kpi.description(), value, comparison, change,
                    value(kpi, all(kpi), YEAR_AGO), change == null ? null : kpi.favourable(change));
        }).toList();
    }

    /** Whether a change rests on enough: a denominator of at least the minimum volume on both sides (for counts, the count). */
    private boolean trusted(Kpi kpi) {
        double[] now = nd(kpi, all(kpi), CURRENT), before = nd(kpi, all(kpi), COMPARISON);
        if (now == null || before == null) {
            return false;
        }
        if (kpi.perPeriod()) {
            return kpi.unit() != KpiCatalog.Unit.COUNT || Math.max(now[0], before[0]) >= settings.minVolume();
        }
        return Math.min(now[1], before[1]) >= settings.minVolume();
    }

    /** The KPIs that changed most (relatively, by at least the minimum change, on trusted volumes), each with its drivers. */
    public List<Mover> movers() {
        return summary().stream()
                .filter(l -> l.change() != null && Math.abs(l.change()) >= settings.minChange() && trusted(KpiCatalog.find(l.kpi()).orElseThrow()))
                .sorted(Comparator.comparingDouble((KpiLine l) -> Math.abs(l.change())).reversed())
                .limit(settings.movers())
                .map(l -> new Mover(l.kpi(), l.unit(), l.value(), l.comparison(), l.change(), l.favourable(),
                        drivers(KpiCatalog.find(l.kpi()).orElseThrow())))
                .toList();
    }

    /** The groups that moved a KPI most in the direction it moved, with their contribution and its share of the change. */
    List<Driver> drivers(Kpi kpi) {
        double[] now = nd(kpi, all(kpi), CURRENT), before = nd(kpi, all(kpi), COMPARISON);
        if (now == null || before == null || now[1] == 0 || before[1] == 0) {
            return List.of();
        }
        double ratio = before[0] / before[1];
        double delta = (now[0] / now[1] - ratio) * kpi.scale();
        List<Driver> drivers = new ArrayList<>();
        for (Key key : totals.keySet()) {
            if (!key.kpi().equals(kpi.name()) || "all".equals(key.dim())) {
                continue;
            }
            double[] g1 = orZero(nd(kpi, key, CURRENT)), g0 = orZero(nd(kpi, key, COMPARISON));
            double contribution = ((g1[0] - ratio * g1[1]) / now[1] - (g0[0] - ratio * g0[1]) / before[1]) * kpi.scale();
            if (contribution * Math.signum(delta) > 0) {
                drivers.add(new Driver(key.dim(), key.dimValue(), labels.get(key), value(kpi, key, CURRENT), value(kpi, key, COMPARISON),
                        contribution, delta == 0 ? null : contribution / delta));
            }
        }
        return drivers.stream().sorted(Comparator.comparingDouble((Driver d) -> Math.abs(d.contribution())).reversed()
                .thenComparing(Driver::dim).thenComparing(Driver::dimValue)).limit(settings.drivers()).toList();
    }

    private static double[] orZero(double[] nd) {
        return nd == null ? new double[] { 0, 0 } : nd;
    }

    /** What the rules advise on this review's changes, most urgent first; open critical alerts come first of all. */
    public List<Recommendation> recommendations(List<AlertLine> alerts) {
        List<Recommendation> result = new ArrayList<>();
        alerts.stream().filter(a -> "critical".equals(a.severity()) && !"resolved".equals(a.status())).map(AlertLine::kpi).distinct()
                .forEach(kpi -> result.add(new Recommendation("critical-alert-open", kpi, "high", "A critical alert on " + kpi
                        + " is still unresolved: assign it and resolve or acknowledge it (GET /api/alerts?status=unresolved).", null)));
        Map<String, KpiLine> lines = new HashMap<>();
        summary().forEach(l -> lines.put(l.kpi(), l));
        List<Recommendation> fromRules = new ArrayList<>();
        for (Rule rule : RULES) {
            KpiLine line = lines.get(rule.kpi());
            Kpi kpi = KpiCatalog.find(rule.kpi()).orElseThrow();
            if (line == null || line.change() == null || (line.change() > 0) != rule.onRise() || Math.abs(line.change()) < rule.minChange()
                    || !trusted(kpi)) {
                continue;
            }
            List<Driver> drivers = drivers(kpi);
            String focus = drivers.isEmpty() ? null : drivers.get(0).dim() + " " + drivers.get(0).label();
            String text = rule.advice() + (focus == null ? "" : " Start with " + focus + share(drivers.get(0)) + ".");
            fromRules.add(new Recommendation(rule.id(), rule.kpi(), Math.abs(line.change()) >= 2 * rule.minChange() ? "high" : "medium", text, focus));
        }
        fromRules.stream().sorted(Comparator.comparing((Recommendation r) -> !"high".equals(r.priority()))).forEach(result::add);
        return result;
    }

    private static String share(Driver driver) {
        return driver.share() == null ? "" : String.format(Locale.ROOT, ", behind %.0f%% of the change", 100 * driver.share());
    }
}
