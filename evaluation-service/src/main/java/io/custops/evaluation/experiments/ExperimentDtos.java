package io.custops.evaluation.experiments;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Experiments and their results as the API shows them. */
public final class ExperimentDtos {
    private ExperimentDtos() {
    }

    public record ExperimentSummary(UUID id, String step, String kind, long assigned, Instant firstAssignedAt, Instant lastAssignedAt,
            Instant concludedAt, String winner, String metric) {
    }

    /** One arm: its customers, planned share, conversions and revenue in the window, and (campaigns) message engagement. */
    public record Arm(String variant, long assigned, Double plannedShare, long converted, double conversionRate, double revenuePerCustomer,
            long opened, long clicked, long unsubscribed) {
    }

    /**
     * One variant against the baseline on one metric: the estimate with its two-sided p-value and interval (z-test
     * for rates, Welch for revenue, CUPED-adjusted when pre-period revenue varies), the Bayesian probability to beat
     * the baseline and expected loss (rates), the always-valid (mSPRT) p-value's running minimum over looks, and that
     * p-value corrected by Holm over every comparison of the experiment.
     */
    public record MetricResult(String metric, String variant, String baseline, String test, double baselineValue, double variantValue,
            double difference, double relativeLift, double pValue, double ciLow, double ciHigh, Double probabilityToBeat, Double expectedLoss,
            double alwaysValidP, double adjustedP, boolean cuped) {
    }

    public record SampleRatioCheck(double chiSquare, double pValue, boolean mismatch, String plan) {
    }

    /** The decision on the primary metric; {@code reason} says why there is none yet. */
    public record Verdict(String metric, String winner, boolean significant, Double pValue, String reason) {
    }

    public record ExperimentResult(UUID id, String step, String kind, String baseline, List<Arm> arms, SampleRatioCheck sampleRatio,
            List<MetricResult> results, Verdict verdict, String method, Instant firstAssignedAt, Instant concludedAt) {
    }
}
