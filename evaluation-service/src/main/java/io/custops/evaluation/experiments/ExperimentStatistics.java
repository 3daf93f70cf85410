package io.custops.evaluation.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The statistics of an A/B test, over the distributions of Apache Commons Math: two-proportion z-tests and Welch
 * t-tests with confidence intervals, Bayesian probability to beat control and expected loss (beta-binomial), the
 * sample-ratio-mismatch χ² test, CUPED variance reduction, Holm and Benjamini–Hochberg corrections, and mSPRT
 * always-valid p-values for looking early.
 */
public final class ExperimentStatistics {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
    /** Points of the numerical integration over a posterior's mass (±12 standard deviations). */
    private static final int GRID = 20_000;

    private ExperimentStatistics() {
    }

    /** A difference of treatment over control with its two-sided p-value and confidence interval. */
    public record Comparison(double control, double treatment, double difference, double relativeLift, double statistic, double pValue,
            double ciLow, double ciHigh) {
    }

    /**
     * Two-proportion z-test: the pooled standard error for the test, the unpooled one for the interval of the
     * difference at {@code confidence} (e.g. 0.95).
     */
    public static Comparison proportions(long controlConversions, long controlN, long treatmentConversions, long treatmentN, double confidence) {
        double pa = (double) controlConversions / controlN;
        double pb = (double) treatmentConversions / treatmentN;
        double pooled = (double) (controlConversions + treatmentConversions) / (controlN + treatmentN);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / controlN + 1.0 / treatmentN));
        double z = se == 0 ? 0 : (pb - pa) / se;
        double p = 2 * NORMAL.cumulativeProbability(-Math.abs(z));
        double seDiff = Math.sqrt(pa * (1 - pa) / controlN + pb * (1 - pb) / treatmentN);
        double q = NORMAL.inverseCumulativeProbability(1 - (1 - confidence) / 2);
        return new Comparison(pa, pb, pb - pa, pa == 0 ? Double.NaN : (pb - pa) / pa, z, p, pb - pa - q * seDiff, pb - pa + q * seDiff);
    }

    /** Summary of one arm's metric: count, mean and sample variance. */
    public record Sample(long n, double mean, double variance) {
        public static Sample of(double[] values) {
            double mean = Arrays.stream(values).average().orElse(Double.NaN);
            double ss = 0;
            for (double v : values) {
                ss += (v - mean) * (v - mean);
            }
            return new Sample(values.length, mean, values.length > 1 ? ss / (values.length - 1) : Double.NaN);
        }
    }

    /** Welch's t-test for a difference of means, with Welch–Satterthwaite degrees of freedom. */
    public static Comparison welch(Sample control, Sample treatment, double confidence) {
        double va = control.variance() / control.n();
        double vb = treatment.variance() / treatment.n();
        double se = Math.sqrt(va + vb);
        double df = (va + vb) * (va + vb) / (va * va / (control.n() - 1) + vb * vb / (treatment.n() - 1));
        double diff = treatment.mean() - control.mean();
        if (!(se > 0) || !(df > 0)) { // no variance in either arm: nothing to test
            return new Comparison(control.mean(), treatment.mean(), diff, control.mean() == 0 ? Double.NaN : diff / control.mean(), 0, 1,
                    diff, diff);
        }
        double t = diff / se;
        TDistribution dist = new TDistribution(null, df);
        double p = 2 * dist.cumulativeProbability(-Math.abs(t));
        double q = dist.inverseCumulativeProbability(1 - (1 - confidence) / 2);
        return new Comparison(control.mean(), treatment.mean(), diff, control.mean() == 0 ? Double.NaN : diff / control.mean(), t, p,
                diff - q * se, diff + q * se);
    }

    /** Bayesian comparison of two conversion rates with uniform Beta(1, 1) priors. */
    public record Bayesian(double probabilityToBeatControl, double expectedLossChoosingTreatment, double expectedLossChoosingControl) {
    }

    /**
     * P(treatment rate &gt; control rate) and the expected losses E[max(control − treatment, 0)] (choosing the
     * treatment) and E[max(treatment − control, 0)] (keeping control), integrated numerically over the posteriors.
     */
    public static Bayesian bayesian(long controlConversions, long controlN, long treatmentConversions, long treatmentN) {
        BetaDistribution a = new BetaDistribution(null, 1 + controlConversions, 1 + controlN - controlConversions);
        BetaDistribution b = new BetaDistribution(null, 1 + treatmentConversions, 1 + treatmentN - treatmentConversions);
        double lo = Math.max(0, Math.min(a.getNumericalMean() - 12 * Math.sqrt(a.getNumericalVariance()),
                b.getNumericalMean() - 12 * Math.sqrt(b.getNumericalVariance())));
        double hi = Math.min(1, Math.max(a.getNumericalMean() + 12 * Math.sqrt(a.getNumericalVariance()),
                b.getNumericalMean() + 12 * Math.sqrt(b.getNumericalVariance())));
        double h = (hi - lo) / GRID;
        BetaDistribution aShifted = new BetaDistribution(null, a.getAlpha() + 1, a.getBeta());
        BetaDistribution bShifted = new BetaDistribution(null, b.getAlpha() + 1, b.getBeta());
        double beat = 0;
        double lossB = 0; // E[max(A - B, 0)] = ∫ f_B(x) ∫_x (y - x) f_A(y) dy dx
        double lossA = 0; // E[max(B - A, 0)]
        for (int i = 0; i <= GRID; i++) {
            double x = lo + i * h;
            double w = (i == 0 || i == GRID) ? 0.5 : 1; // trapezoid weights
            double fb = b.density(x);
            double fa = a.density(x);
            beat += w * fb * a.cumulativeProbability(x);
            lossB += w * fb * upperPartialMean(a, aShifted, x);
            lossA += w * fa * upperPartialMean(b, bShifted, x);
        }
        return new Bayesian(clamp(beat * h), lossB * h, lossA * h);
    }

    /** E[max(Y − x, 0)] for Y ~ Beta(α, β): α/(α+β)·(1 − I_x(α+1, β)) − x·(1 − I_x(α, β)); {@code shifted} is Beta(α+1, β). */
    private static double upperPartialMean(BetaDistribution y, BetaDistribution shifted, double x) {
        double alpha = y.getAlpha();
        double beta = y.getBeta();
        return alpha / (alpha + beta) * (1 - shifted.cumulativeProbability(x)) - x * (1 - y.cumulativeProbability(x));
    }

    /** The sample-ratio-mismatch check: a χ² goodness-of-fit test of the arms' sizes against their planned weights. */
    public record SampleRatio(double chiSquare, double pValue, boolean mismatch) {
    }

    /** Flags a mismatch at p &lt; 0.001. */
    public static SampleRatio sampleRatio(long[] observed, double[] weights) {
        long total = Arrays.stream(observed).sum();
        double weightSum = Arrays.stream(weights).sum();
        double chi = 0;
        for (int i = 0; i < observed.length; i++) {
            double expected = total * weights[i] / weightSum;
            chi += (observed[i] - expected) * (observed[i] - expected) / expected;
        }
        double p = 1 - new ChiSquaredDistribution(null, observed.length - 1).cumulativeProbability(chi);
        return new SampleRatio(chi, p, p < 0.001);
    }

    /**
     * One arm's sums of a metric y and its pre-period covariate x — all CUPED needs, so that it runs over rollups
     * computed in the database instead of per-customer arrays.
     */
    public record Moments(long n, double sumY, double sumY2, double sumX, double sumX2, double sumXY) {
        /** The metric alone. */
        public Sample sample() {
            double mean = sumY / n;
            return new Sample(n, mean, n > 1 ? (sumY2 - n * mean * mean) / (n - 1) : Double.NaN);
        }
    }

    /**
     * CUPED (Deng et al. 2013): each arm's metric less θ·(x − x̄), with θ = cov(y, x) / var(x) pooled over the arms and
     * x̄ the pooled covariate mean, so the pre-period's share of the variance goes while the difference of means
     * stays unbiased. Returns the adjusted samples in the arms' order; θ = 0 (no adjustment) when x does not vary.
     */
    public static List<Sample> cuped(List<Moments> arms) {
        long n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Moments m : arms) {
            n += m.n();
            sx += m.sumX();
            sy += m.sumY();
            sxx += m.sumX2();
            sxy += m.sumXY();
        }
        double meanX = sx / n;
        double var = sxx - n * meanX * meanX;
        double theta = var <= 1e-12 ? 0 : (sxy - n * meanX * (sy / n)) / var;
        List<Sample> adjusted = new ArrayList<>();
        for (Moments m : arms) {
            double mx = m.sumX() / m.n();
            double my = m.sumY() / m.n();
            double vy = (m.sumY2() - m.n() * my * my) / (m.n() - 1);
            double vx = (m.sumX2() - m.n() * mx * mx) / (m.n() - 1);
            double cxy = (m.sumXY() - m.n() * mx * my) / (m.n() - 1);
            adjusted.add(new Sample(m.n(), my - theta * (mx - meanX), Math.max(0, vy + theta * theta * vx - 2 * theta * cxy)));
        }
        return adjusted;
    }

    /** Holm's step-down adjusted p-values (family-wise error), in the input's order. */
    public static double[] holm(double[] pValues) {
        Integer[] order = sortedIndexes(pValues, Comparator.naturalOrder());
        double[] adjusted = new double[pValues.length];
        double running = 0;
        for (int rank = 0; rank < order.length; rank++) {
            running = Math.max(running, Math.min(1, (pValues.length - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }

    /** Benjamini–Hochberg adjusted p-values (false discovery rate), in the input's order. */
    public static double[] benjaminiHochberg(double[] pValues) {
        Integer[] order = sortedIndexes(pValues, Comparator.reverseOrder());
        int m = pValues.length;
        double[] adjusted = new double[m];
        double running = 1;
        for (int i = 0; i < order.length; i++) {
            int rank = m - i; // 1-based rank in ascending order
            running = Math.min(running, Math.min(1, pValues[order[i]] * m / rank));
            adjusted[order[i]] = running;
        }
        return adjusted;
    }

    /**
     * The mixture sequential probability ratio test (Johari, Pekelis and Walsh, "Always valid inference", 2017) for a
     * difference with estimate {@code difference} and variance {@code variance} (of the estimate, e.g. se²) under a
     * normal mixture of variance {@code tau2} over the effect: p = min(1, 1/Λ) with
     * Λ = sqrt(V/(V+τ²)) · exp(τ²·Δ² / (2V(V+τ²))). Taking the running minimum over looks keeps it valid however often
     * one looks.
     */
    public static double alwaysValidPValue(double difference, double variance, double tau2, double previous) {
        double lambda = Math.sqrt(variance / (variance + tau2)) * Math.exp(tau2 * difference * difference / (2 * variance * (variance + tau2)));
        return Math.min(previous, Math.min(1, 1 / lambda));
    }

    private static Integer[] sortedIndexes(double[] values, Comparator<Double> comparator) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            indexes.add(i);
        }
        indexes.sort((x, y) -> comparator.compare(values[x], values[y]));
        return indexes.toArray(Integer[]::new);
    }

    private static double clamp(double probability) {
        return Math.max(0, Math.min(1, probability));
    }
}
