package io.custops.evaluation.experiments;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.custops.evaluation.experiments.ExperimentDtos.Arm;
import io.custops.evaluation.experiments.ExperimentDtos.ExperimentResult;
import io.custops.evaluation.experiments.ExperimentDtos.ExperimentSummary;
import io.custops.evaluation.experiments.ExperimentDtos.MetricResult;
import io.custops.evaluation.experiments.ExperimentDtos.SampleRatioCheck;
import io.custops.evaluation.experiments.ExperimentDtos.Verdict;
import io.custops.evaluation.experiments.ExperimentStatistics.Comparison;
import io.custops.evaluation.experiments.ExperimentStatistics.Moments;
import io.custops.evaluation.experiments.ExperimentStatistics.Sample;
import io.custops.events.EventType;
import io.custops.events.payload.ExperimentConcluded;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Experiment results from the assignments and what the customers did next, summed per arm in PostgreSQL: conversion
 * (an order within the window after assignment), revenue per customer (CUPED over the revenue of the period before),
 * and for campaigns opens, clicks and unsubscribes. Each variant is compared with the baseline ({@code control}, or
 * the first variant by name). Looking early is safe: decisions use mSPRT always-valid p-values (their running minimum
 * over looks), Holm-corrected over every comparison, at a minimum sample per arm and only without a sample-ratio
 * mismatch. A scheduled evaluation publishes the first significant verdict on conversion (ExperimentConcluded).
 */
@ApplicationScoped
public class ExperimentAnalysis {
    private static final Logger LOG = Logger.getLogger(ExperimentAnalysis.class);
    static final String METHOD = "z-test (rates) / Welch t-test (revenue, CUPED-adjusted), 95% intervals; Beta(1,1) posteriors; "
            + "mSPRT always-valid p-values (normal mixture, tau = relative-effect x baseline) with running minimum over looks; "
            + "Holm correction over all comparisons; sample-ratio chi-square flagged at p < 0.001";

    private final EventOutbox outbox;
    private final Duration window;
    private final Duration prePeriod;
    private final double alpha;
    private final long minSample;
    private final double relativeEffect;

    public ExperimentAnalysis(EventOutbox outbox,
            @ConfigProperty(name = "custops.experiments.conversion-window", defaultValue = "7d") Duration window,
            @ConfigProperty(name = "custops.experiments.pre-period", defaultValue = "30d") Duration prePeriod,
            @ConfigProperty(name = "custops.experiments.alpha", defaultValue = "0.05") double alpha,
            @ConfigProperty(name = "custops.experiments.min-sample-per-arm", defaultValue = "100") long minSample,
            @ConfigProperty(name = "custops.experiments.mixture-relative-effect", defaultValue = "0.1") double relativeEffect) {
        this.outbox = outbox;
        this.window = window;
        this.prePeriod = prePeriod;
        this.alpha = alpha;
        this.minSample = minSample;
        this.relativeEffect = relativeEffect;
    }

    public Uni<List<ExperimentSummary>> list() {
        return NativeSql.list("""
                SELECT e.id, e.step, e.kind, (SELECT count(*) FROM experiment_assignment a WHERE a.experiment_id = e.id AND a.step = e.step),
                       e.first_assigned_at, e.last_assigned_at, e.concluded_at, e.winner, e.metric
                FROM experiment e ORDER BY e.last_assigned_at DESC LIMIT 500""", Object[].class, Map.of())
                .map(rows -> rows.stream().map(r -> new ExperimentSummary((UUID) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue(),
                        NativeSql.instant(r[4]), NativeSql.instant(r[5]), NativeSql.instant(r[6]), (String) r[7], (String) r[8])).toList());
    }

    /** The experiment's results now; {@code look} records this look (running minimum) and may conclude the experiment. */
    public Uni<ExperimentResult> analyse(UUID id, String step, boolean look) {
        Map<String, Object> params = NativeSql.params("id", id, "step", step == null ? "" : step,
                "window", (double) window.toSeconds(), "pre", (double) prePeriod.toSeconds());
        return NativeSql.list("SELECT kind, first_assigned_at, concluded_at FROM experiment WHERE id = :id AND step = :step", Object[].class, params)
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        throw ProblemException.notFound("No experiment " + id + (step == null || step.isEmpty() ? "" : " step " + step) + ".");
                    }
                    Object[] e = found.get(0);
                    return arms(params).flatMap(arms -> previous(params).flatMap(prior -> {
                        Computed c = compute((String) e[0], arms, prior);
                        // looks count once every arm has its minimum sample: tiny early arms would only add noise to the running minimum
                        boolean counted = look && arms.size() > 1 && arms.stream().allMatch(a -> a.n() >= minSample);
                        Uni<Void> record = counted ? remember(params, c.alwaysValid()) : Uni.createFrom().voidItem();
                        ExperimentResult result = new ExperimentResult(id, (String) params.get("step"), (String) e[0], c.baseline(), c.arms(), c.srm(),
                                c.results(), c.verdict(), METHOD, NativeSql.instant(e[1]), NativeSql.instant(e[2]));
                        boolean conclude = look && e[2] == null && c.verdict().significant();
                        return record.flatMap(x -> conclude ? conclude(result) : Uni.createFrom().voidItem()).replaceWith(result);
                    }));
                });
    }

    private record Row(String variant, long n, Double share, long converted, Moments revenue, long opened, long clicked, long unsubscribed) {
    }

    private record Computed(String baseline, List<Arm> arms, SampleRatioCheck srm, List<MetricResult> results, Verdict verdict,
            Map<String, Double> alwaysValid) {
    }

    private Uni<List<Row>> arms(Map<String, Object> params) {
        return NativeSql.list("""
                WITH a AS (SELECT customer_id, variant, planned_share, assigned_at FROM experiment_assignment
                           WHERE experiment_id = :id AND step = :step),
                o AS (SELECT a.customer_id, a.variant, a.planned_share,
                             coalesce(sum(f.revenue) FILTER (WHERE f.placed_at > a.assigned_at
                                 AND f.placed_at <= a.assigned_at + make_interval(secs => :window)), 0) AS y,
                             coalesce(sum(f.revenue) FILTER (WHERE f.placed_at <= a.assigned_at
                                 AND f.placed_at > a.assigned_at - make_interval(secs => :pre)), 0) AS x,
                             coalesce(bool_or(f.placed_at > a.assigned_at AND f.placed_at <= a.assigned_at + make_interval(secs => :window)), false)
                                 AS converted
                      FROM a LEFT JOIN order_fact f ON f.customer_id = a.customer_id
                      GROUP BY a.customer_id, a.variant, a.planned_share),
                m AS (SELECT m.customer_id, bool_or(m.opened_at IS NOT NULL) AS opened, bool_or(m.clicked_at IS NOT NULL) AS clicked,
                             bool_or(m.unsubscribed_at IS NOT NULL) AS unsubscribed
                      FROM message_fact m WHERE m.campaign_id = :id GROUP BY m.customer_id)
                SELECT o.variant, count(*), avg(o.planned_share), count(*) FILTER (WHERE o.converted),
                       sum(o.y), sum(o.y * o.y), sum(o.x), sum(o.x * o.x), sum(o.x * o.y),
                       count(*) FILTER (WHERE m.opened), count(*) FILTER (WHERE m.clicked), count(*) FILTER (WHERE m.unsubscribed),
                       count(*) FILTER (WHERE o.planned_share IS NULL)
                FROM o LEFT JOIN m ON m.customer_id = o.customer_id GROUP BY o.variant ORDER BY o.variant""", Object[].class, params)
                .map(rows -> rows.stream().map(r -> new Row((String) r[0], n(r[1]), n(r[12]) > 0 || r[2] == null ? null
                        : ((Number) r[2]).doubleValue(), n(r[3]), new Moments(n(r[1]), d(r[4]), d(r[5]), d(r[6]), d(r[7]), d(r[8])), n(r[9]),
                        n(r[10]), n(r[11]))).toList());
    }

    private Uni<Map<String, Double>> previous(Map<String, Object> params) {
        return NativeSql.list("SELECT metric || '/' || variant, p_value FROM sequential_p WHERE experiment_id = :id AND step = :step",
                Object[].class, params).map(rows -> {
                    Map<String, Double> prior = new HashMap<>();
                    rows.forEach(r -> prior.put((String) r[0], ((Number) r[1]).doubleValue()));
                    return prior;
                });
    }

    private Computed compute(String kind, List<Row> rows, Map<String, Double> prior) {
        List<Arm> arms = rows.stream().map(r -> new Arm(r.variant(), r.n(), r.share(), r.converted(), (double) r.converted() / r.n(),
                r.revenue().sumY() / r.n(), r.opened(), r.clicked(), r.unsubscribed())).toList();
        String baseline = rows.stream().anyMatch(r -> "control".equals(r.variant())) ? "control"
                : rows.isEmpty() ? null : rows.get(0).variant();
        SampleRatioCheck srm = sampleRatio(rows);
        List<MetricResult> results = new ArrayList<>();
        Map<String, Double> alwaysValid = new HashMap<>();
        Row base = rows.stream().filter(r -> r.variant().equals(baseline)).findFirst().orElse(null);
        List<Sample> revenue = ExperimentStatistics.cuped(rows.stream().map(Row::revenue).toList());
        boolean cuped = rows.stream().anyMatch(r -> r.revenue().sumX2() > 0);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (base == null || r == base) {
                continue;
            }
            results.add(rate("conversion", base, r, base.converted(), r.converted(), prior, alwaysValid));
            Sample baseRevenue = revenue.get(rows.indexOf(base));
            Comparison c = ExperimentStatistics.welch(baseRevenue, revenue.get(i), 0.95);
            double variance = baseRevenue.variance() / baseRevenue.n() + revenue.get(i).variance() / revenue.get(i).n();
            results.add(metric("revenue", base, r, "welch", c, null, null, c.difference(), variance, Math.abs(baseRevenue.mean()), prior,
                    alwaysValid, cuped));
        }
        if ("campaign".equals(kind)) {
            // the hold-out gets no message: engagement compares the variants with the first one
            List<Row> messaged = rows.stream().filter(r -> !"control".equals(r.variant())).toList();
            for (int i = 1; i < messaged.size(); i++) {
                Row first = messaged.get(0);
                Row r = messaged.get(i);
                results.add(rate("open", first, r, first.opened(), r.opened(), prior, alwaysValid));
                results.add(rate("click", first, r, first.clicked(), r.clicked(), prior, alwaysValid));
                results.add(rate("unsubscribe", first, r, first.unsubscribed(), r.unsubscribed(), prior, alwaysValid));
            }
        }
        double[] adjusted = ExperimentStatistics.holm(results.stream().mapToDouble(MetricResult::alwaysValidP).toArray());
        List<MetricResult> corrected = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            MetricResult m = results.get(i);
            corrected.add(new MetricResult(m.metric(), m.variant(), m.baseline(), m.test(), m.baselineValue(), m.variantValue(), m.difference(),
                    m.relativeLift(), m.pValue(), m.ciLow(), m.ciHigh(), m.probabilityToBeat(), m.expectedLoss(), m.alwaysValidP(), adjusted[i],
                    m.cuped()));
        }
        return new Computed(baseline, arms, srm, corrected, verdict(rows, srm, corrected), alwaysValid);
    }

    private MetricResult rate(String metric, Row base, Row r, long baseCount, long count, Map<String, Double> prior, Map<String, Double> alwaysValid) {
        Comparison c = ExperimentStatistics.proportions(baseCount, base.n(), count, r.n(), 0.95);
        ExperimentStatistics.Bayesian b = ExperimentStatistics.bayesian(baseCount, base.n(), count, r.n());
        double variance = c.control() * (1 - c.control()) / base.n() + c.treatment() * (1 - c.treatment()) / r.n();
        return metric(metric, base, r, "z-test", c, b.probabilityToBeatControl(), b.expectedLossChoosingTreatment(), c.difference(), variance,
                c.control(), prior, alwaysValid, false);
    }

    private MetricResult metric(String metric, Row base, Row r, String test, Comparison c, Double beat, Double loss, double difference,
            double variance, double scale, Map<String, Double> prior, Map<String, Double> alwaysValid, boolean cuped) {
        String key = metric + "/" + r.variant();
        double tau = relativeEffect * Math.max(scale, 1e-6);
        double p = variance <= 0 ? 1 : ExperimentStatistics.alwaysValidPValue(difference, variance, tau * tau, prior.getOrDefault(key, 1.0));
        alwaysValid.put(key, p);
        return new MetricResult(metric, r.variant(), base.variant(), test, c.control(), c.treatment(), c.difference(), c.relativeLift(),
                c.pValue(), c.ciLow(), c.ciHigh(), beat, loss, p, p, cuped);
    }

    private static SampleRatioCheck sampleRatio(List<Row> rows) {
        if (rows.size() < 2) {
            return new SampleRatioCheck(0, 1, false, "one arm");
        }
        boolean planned = rows.stream().allMatch(r -> r.share() != null && r.share() > 0);
        long[] observed = rows.stream().mapToLong(Row::n).toArray();
        double[] weights = rows.stream().mapToDouble(r -> planned ? r.share() : 1).toArray();
        ExperimentStatistics.SampleRatio srm = ExperimentStatistics.sampleRatio(observed, weights);
        return new SampleRatioCheck(srm.chiSquare(), srm.pValue(), srm.mismatch(), planned ? "planned shares" : "equal shares");
    }

    private Verdict verdict(List<Row> rows, SampleRatioCheck srm, List<MetricResult> results) {
        if (rows.size() < 2) {
            return new Verdict("conversion", null, false, null, "fewer than two arms");
        }
        if (srm.mismatch()) {
            return new Verdict("conversion", null, false, null, "sample-ratio mismatch: the assignment is broken, the results cannot be trusted");
        }
        if (rows.stream().anyMatch(r -> r.n() < minSample)) {
            return new Verdict("conversion", null, false, null, "fewer than " + minSample + " customers in an arm");
        }
        MetricResult best = null;
        for (MetricResult m : results) {
            if ("conversion".equals(m.metric()) && m.adjustedP() < alpha && m.difference() > 0
                    && (best == null || m.difference() > best.difference())) {
                best = m;
            }
        }
        return best == null ? new Verdict("conversion", null, false, null, "no variant beats " + results.stream().map(MetricResult::baseline)
                .findFirst().orElse("the baseline") + " significantly yet")
                : new Verdict("conversion", best.variant(), true, best.adjustedP(), null);
    }

    private Uni<Void> remember(Map<String, Object> params, Map<String, Double> alwaysValid) {
        List<Map<String, Object>> rows = new ArrayList<>();
        alwaysValid.forEach((key, p) -> {
            String[] parts = key.split("/", 2);
            rows.add(NativeSql.params("metric", parts[0], "variant", parts[1], "p", p));
        });
        return rows.isEmpty() ? Uni.createFrom().voidItem() : NativeSql.execute("""
                INSERT INTO sequential_p (experiment_id, step, metric, variant, p_value, looks)
                SELECT :id, :step, r.metric, r.variant, r.p, 1 FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb))
                    AS r(metric text, variant text, p double precision)
                ON CONFLICT (experiment_id, step, metric, variant) DO UPDATE
                    SET p_value = least(sequential_p.p_value, excluded.p_value), looks = sequential_p.looks + 1""",
                NativeSql.with(params, "rows", NativeSql.json(rows))).replaceWithVoid();
    }

    private Uni<Void> conclude(ExperimentResult result) {
        Instant now = Instant.now();
        return NativeSql.execute("""
                UPDATE experiment SET concluded_at = :now, winner = :winner, metric = :metric, p_value = :p
                WHERE id = :id AND step = :step AND concluded_at IS NULL""", NativeSql.params("now", NativeSql.utc(now), "winner",
                result.verdict().winner(), "metric", result.verdict().metric(), "p", result.verdict().pValue(), "id", result.id(), "step", result.step()))
                .flatMap(updated -> updated == 0 ? Uni.createFrom().voidItem()
                        : outbox.record(EventType.EXPERIMENT_CONCLUDED, result.id(), new ExperimentConcluded(result.id(), result.kind(),
                                result.step().isEmpty() ? null : result.step(), result.verdict().metric(), result.verdict().winner(), true,
                                BigDecimal.valueOf(result.verdict().pValue()).round(new java.math.MathContext(6)), now)).replaceWithVoid());
    }

    /** Looks at every open experiment with assignments in the last 90 days (a bounded batch per run). */
    @Scheduled(every = "${custops.experiments.evaluate-interval:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> evaluateOpen() {
        return Panache.withSession(() -> NativeSql.list("""
                SELECT id, step FROM experiment WHERE concluded_at IS NULL AND last_assigned_at > now() - interval '90 days'
                ORDER BY last_assigned_at DESC LIMIT 100""", Object[].class, Map.of()))
                .flatMap(open -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object[] e : open) {
                        chain = chain.flatMap(x -> Panache.withTransaction(() -> analyse((UUID) e[0], (String) e[1], true)).replaceWithVoid()
                                .onFailure().invoke(f -> LOG.warnf(f, "Experiment %s could not be evaluated", e[0])).onFailure().recoverWithNull());
                    }
                    return chain;
                });
    }

    private static long n(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static double d(Object value) {
        return value == null ? 0 : ((Number) value).doubleValue();
    }
}
