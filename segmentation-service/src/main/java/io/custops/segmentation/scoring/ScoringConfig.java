package io.custops.segmentation.scoring;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.custops.platform.problem.Problem;

/**
 * How customers are scored; edited by admins through {@code PUT /api/scores/config}. Every value is data read by
 * the scoring SQL, never code. The defaults (in the V2 migration) follow the source plans (tiers A/B/C/D at about 12/23/45/20% of the
 * active base, churn warning after 30 quiet days, health under 40 flagged).
 *
 * @param windowDays            the analysis window: frequency and monetary count the orders placed in it, and the
 *                              active base (over which quintiles are taken) is the customers who ordered in it
 * @param binning               {@code quantile}: R, F and M edges are the 20/40/60/80th percentiles of the active base;
 *                              {@code fixed}: the edges in {@code fixedEdges}
 * @param fixedEdges            four ascending edges per measure, used when binning is fixed, when the active base is
 *                              smaller than {@code minActiveForQuantiles}, and for the activity grade's edges then too
 * @param minActiveForQuantiles below this many active customers quintiles are meaningless: fixed edges are used
 * @param weights               the weights of R, F and M in the value score (their weighted mean, 1–5)
 * @param tiers                 how value scores map to tiers A–D
 * @param health                the health index's component weights and scales
 * @param churn                 when churn risk is raised
 * @param highPotentialFrom     the potential grade (1–5) from which a customer counts as high potential
 * @param healthAnnounceStep    a health change of at least this many points is announced in ScoresUpdated on its own
 * @param ltvPriorOrders        how many orders' worth of the population's mean order value a customer's own average
 *                              is blended with for the lifetime-value prediction (credibility weighting)
 */
public record ScoringConfig(int windowDays, String binning, Edges fixedEdges, int minActiveForQuantiles, Weights weights,
        Tiers tiers, Health health, Churn churn, int highPotentialFrom, int healthAnnounceStep, int ltvPriorOrders) {

    /** Four ascending edges per measure. */
    public record Edges(List<BigDecimal> recencyDays, List<BigDecimal> frequency, List<BigDecimal> monetary,
            List<BigDecimal> interactions30d) {
    }

    public record Weights(BigDecimal recency, BigDecimal frequency, BigDecimal monetary) {
    }

    /**
     * @param mode       {@code shares}: cut-offs are placed so that about these shares of the active base fall in
     *                   A, B and C (D takes the rest), ties on the value score broken by monetary value;
     *                   {@code thresholds}: fixed minimum value scores for A, B and C
     */
    public record Tiers(String mode, Map<String, BigDecimal> shares, Map<String, BigDecimal> thresholds) {
    }

    /**
     * @param weights             weights of the activity, purchase-frequency and interaction-depth components
     * @param activityHorizonDays days since the last touch at which the activity component reaches 0
     * @param depthInteractions   interactions in 30 days that give full marks for volume
     * @param depthTypes          distinct interaction types in 30 days that give full marks for breadth
     * @param atRiskBelow         a health index under this is flagged at risk
     */
    public record Health(Map<String, BigDecimal> weights, int activityHorizonDays, int depthInteractions, int depthTypes,
            int atRiskBelow) {
    }

    /**
     * @param purchaseGapFactor  risk when the days since the last order exceed this times the customer's own
     *                           average inter-purchase interval (customers with two or more orders) ...
     * @param purchaseGapMinDays ... and at least this many days (a two-day gap after two orders a day apart is no risk)
     * @param inactiveDays       risk when the last order or interaction is older than this
     * @param dropRatio          risk when the last 30 days' interactions fall below this share of the monthly
     *                           average of the 60 days before ...
     * @param dropMinimumMonthly ... provided that average was at least this (so one quiet month of a rare visitor
     *                           is not a drop)
     */
    public record Churn(BigDecimal purchaseGapFactor, int purchaseGapMinDays, int inactiveDays, BigDecimal dropRatio, int dropMinimumMonthly) {
    }

    /** Every problem with this configuration, named by its JSON path; empty when it is valid. */
    public List<Problem.FieldError> violations() {
        List<Problem.FieldError> errors = new ArrayList<>();
        check(errors, windowDays >= 7 && windowDays <= 3660, "windowDays", "must be between 7 and 3660 days");
        check(errors, "quantile".equals(binning) || "fixed".equals(binning), "binning", "must be quantile or fixed");
        check(errors, minActiveForQuantiles >= 5, "minActiveForQuantiles", "must be at least 5");
        if (check(errors, fixedEdges != null, "fixedEdges", "is required")) {
            edges(errors, "fixedEdges.recencyDays", fixedEdges.recencyDays());
            edges(errors, "fixedEdges.frequency", fixedEdges.frequency());
            edges(errors, "fixedEdges.monetary", fixedEdges.monetary());
            edges(errors, "fixedEdges.interactions30d", fixedEdges.interactions30d());
        }
        if (check(errors, weights != null, "weights", "is required")) {
            weight(errors, "weights.recency", weights.recency());
            weight(errors, "weights.frequency", weights.frequency());
            weight(errors, "weights.monetary", weights.monetary());
            check(errors, weights.recency() == null || weights.frequency() == null || weights.monetary() == null
                    || weights.recency().add(weights.frequency()).add(weights.monetary()).signum() > 0, "weights", "must not all be 0");
        }
        if (check(errors, tiers != null, "tiers", "is required")) {
            check(errors, "shares".equals(tiers.mode()) || "thresholds".equals(tiers.mode()), "tiers.mode", "must be shares or thresholds");
            tierValues(errors, "tiers.shares", tiers.shares(), BigDecimal.ZERO, BigDecimal.ONE);
            tierValues(errors, "tiers.thresholds", tiers.thresholds(), BigDecimal.ONE, new BigDecimal(5));
            if (tiers.shares() != null && errors.stream().noneMatch(e -> e.field().startsWith("tiers.shares"))) {
                check(errors, share("A").add(share("B")).add(share("C")).compareTo(BigDecimal.ONE) <= 0, "tiers.shares",
                        "A, B and C together must not exceed 1 (D takes the rest)");
            }
            if (tiers.thresholds() != null && errors.stream().noneMatch(e -> e.field().startsWith("tiers.thresholds"))) {
                check(errors, threshold("A").compareTo(threshold("B")) >= 0 && threshold("B").compareTo(threshold("C")) >= 0,
                        "tiers.thresholds", "must satisfy A ≥ B ≥ C");
            }
        }
        if (check(errors, health != null, "health", "is required")) {
            if (check(errors, health.weights() != null && health.weights().keySet().equals(java.util.Set.of("activity", "frequency", "depth")),
                    "health.weights", "must give activity, frequency and depth")) {
                health.weights().forEach((k, v) -> weight(errors, "health.weights." + k, v));
            }
            check(errors, health.activityHorizonDays() >= 1, "health.activityHorizonDays", "must be at least 1");
            check(errors, health.depthInteractions() >= 1, "health.depthInteractions", "must be at least 1");
            check(errors, health.depthTypes() >= 1, "health.depthTypes", "must be at least 1");
            check(errors, health.atRiskBelow() >= 0 && health.atRiskBelow() <= 100, "health.atRiskBelow", "must be 0–100");
        }
        if (check(errors, churn != null, "churn", "is required")) {
            check(errors, churn.purchaseGapFactor() != null && churn.purchaseGapFactor().compareTo(BigDecimal.ONE) >= 0,
                    "churn.purchaseGapFactor", "must be at least 1");
            check(errors, churn.purchaseGapMinDays() >= 0, "churn.purchaseGapMinDays", "must be at least 0");
            check(errors, churn.inactiveDays() >= 1, "churn.inactiveDays", "must be at least 1");
            check(errors, churn.dropRatio() != null && churn.dropRatio().signum() > 0 && churn.dropRatio().compareTo(BigDecimal.ONE) < 0,
                    "churn.dropRatio", "must be between 0 and 1 (exclusive)");
            check(errors, churn.dropMinimumMonthly() >= 1, "churn.dropMinimumMonthly", "must be at least 1");
        }
        check(errors, highPotentialFrom >= 1 && highPotentialFrom <= 5, "highPotentialFrom", "must be 1–5");
        check(errors, healthAnnounceStep >= 1 && healthAnnounceStep <= 100, "healthAnnounceStep", "must be 1–100");
        check(errors, ltvPriorOrders >= 0 && ltvPriorOrders <= 100, "ltvPriorOrders", "must be 0–100");
        return errors;
    }

    private BigDecimal share(String tier) {
        return tiers.shares().get(tier);
    }

    private BigDecimal threshold(String tier) {
        return tiers.thresholds().get(tier);
    }

    private static boolean check(List<Problem.FieldError> errors, boolean ok, String field, String message) {
        if (!ok) {
            errors.add(new Problem.FieldError(field, message));
        }
        return ok;
    }

    private static void edges(List<Problem.FieldError> errors, String field, List<BigDecimal> edges) {
        if (check(errors, edges != null && edges.size() == 4 && edges.stream().allMatch(e -> e != null && e.signum() >= 0),
                field, "must be four numbers ≥ 0")) {
            for (int i = 1; i < 4; i++) {
                if (edges.get(i).compareTo(edges.get(i - 1)) < 0) {
                    errors.add(new Problem.FieldError(field, "must be in ascending order"));
                    return;
                }
            }
        }
    }

    private static void weight(List<Problem.FieldError> errors, String field, BigDecimal weight) {
        check(errors, weight != null && weight.signum() >= 0 && weight.compareTo(new BigDecimal(100)) <= 0, field, "must be 0–100");
    }

    private static void tierValues(List<Problem.FieldError> errors, String field, Map<String, BigDecimal> values,
            BigDecimal min, BigDecimal max) {
        if (check(errors, values != null && values.keySet().equals(java.util.Set.of("A", "B", "C")), field, "must give A, B and C")) {
            values.forEach((tier, value) -> check(errors, value != null && value.compareTo(min) >= 0 && value.compareTo(max) <= 0,
                    field + "." + tier, "must be between " + min + " and " + max));
        }
    }
}
