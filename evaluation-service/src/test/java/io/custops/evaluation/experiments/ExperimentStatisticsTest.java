package io.custops.evaluation.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import io.custops.evaluation.experiments.ExperimentStatistics.Bayesian;
import io.custops.evaluation.experiments.ExperimentStatistics.Comparison;
import io.custops.evaluation.experiments.ExperimentStatistics.Sample;
import io.custops.evaluation.experiments.ExperimentStatistics.SampleRatio;

/**
 * Known answers. The expected numbers were computed independently with SciPy 1.17.1 / NumPy 2.4.6 (the calls are
 * named at each assertion), not with the code under test.
 */
class ExperimentStatisticsTest {

    @Test
    void twoProportionZTest() {
        // scipy.stats.chi2_contingency([[200, 1800], [250, 1750]], correction=False): chi2 = 6.259780907668231
        // (z = sqrt(chi2)), p = 0.012350947711191402; unpooled 95% interval of the difference by hand with norm.ppf(0.975)
        Comparison c = ExperimentStatistics.proportions(200, 2000, 250, 2000, 0.95);
        assertThat(c.statistic()).isCloseTo(2.5019554168026716, within(1e-9));
        assertThat(c.pValue()).isCloseTo(0.012350947711191402, within(1e-9));
        assertThat(c.ciLow()).isCloseTo(0.00543100855465602, within(1e-9));
        assertThat(c.ciHigh()).isCloseTo(0.04456899144534397, within(1e-9));
        assertThat(c.relativeLift()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void welchTTest() {
        // scipy.stats.ttest_ind(b, a, equal_var=False): t = 4.2727493009873125, p = 0.0005746945484644038,
        // df = 16.108822737856613, confidence_interval(0.95) = (1.1939402368259933, 3.5427264298406715)
        double[] a = { 12.1, 9.8, 11.4, 10.2, 13.5, 8.9, 10.7, 11.9, 12.4, 9.5 };
        double[] b = { 13.2, 12.8, 14.1, 11.9, 15.3, 12.2, 13.7, 14.4, 12.9, 13.1, 14.8, 12.5 };
        Comparison c = ExperimentStatistics.welch(Sample.of(a), Sample.of(b), 0.95);
        assertThat(c.statistic()).isCloseTo(4.2727493009873125, within(1e-9));
        assertThat(c.pValue()).isCloseTo(0.0005746945484644038, within(1e-9));
        assertThat(c.ciLow()).isCloseTo(1.1939402368259933, within(1e-7));
        assertThat(c.ciHigh()).isCloseTo(3.5427264298406715, within(1e-7));
    }

    @Test
    void armsWithoutVarianceOrConversionsGiveNoEvidenceRatherThanAnError() {
        Comparison flat = ExperimentStatistics.welch(new Sample(200, 0, 0), new Sample(200, 0, 0), 0.95);
        assertThat(flat.pValue()).isEqualTo(1.0);
        Comparison none = ExperimentStatistics.proportions(0, 300, 0, 300, 0.95);
        assertThat(none.pValue()).isEqualTo(1.0);
        assertThat(ExperimentStatistics.bayesian(0, 300, 0, 300).probabilityToBeatControl()).isCloseTo(0.5, within(1e-3));
    }

    @Test
    void bayesianProbabilityToBeatControlAndExpectedLoss() {
        // Beta(201, 1801) against Beta(251, 1751): scipy.integrate.quad of pdf_B * cdf_A = 0.9938143483262959;
        // scipy.integrate.dblquad of the losses: choosing B 1.9976367073185392e-05, keeping A 0.024995001342098016
        Bayesian b = ExperimentStatistics.bayesian(200, 2000, 250, 2000);
        assertThat(b.probabilityToBeatControl()).isCloseTo(0.9938143483262959, within(1e-6));
        assertThat(b.expectedLossChoosingTreatment()).isCloseTo(1.9976367073185392e-05, within(1e-8));
        assertThat(b.expectedLossChoosingControl()).isCloseTo(0.024995001342098016, within(1e-7));
        assertThat(ExperimentStatistics.bayesian(250, 2000, 200, 2000).probabilityToBeatControl()).isCloseTo(1 - 0.9938143483262959,
                within(1e-6));
    }

    @Test
    void sampleRatioMismatchIsFlaggedBelowOnePerMille() {
        // scipy.stats.chisquare([5200, 4800], [5000, 5000]): statistic 16.0, p = 6.334248366623988e-05
        SampleRatio skewed = ExperimentStatistics.sampleRatio(new long[] { 5200, 4800 }, new double[] { 50, 50 });
        assertThat(skewed.chiSquare()).isCloseTo(16.0, within(1e-9));
        assertThat(skewed.pValue()).isCloseTo(6.334248366623988e-05, within(1e-10));
        assertThat(skewed.mismatch()).isTrue();
        // scipy.stats.chisquare([3400, 3300, 3300], [10000/3] * 3): statistic 2.0, p = 0.36787944117144245
        SampleRatio fine = ExperimentStatistics.sampleRatio(new long[] { 3400, 3300, 3300 }, new double[] { 1, 1, 1 });
        assertThat(fine.pValue()).isCloseTo(0.36787944117144245, within(1e-9));
        assertThat(fine.mismatch()).isFalse();
    }

    @Test
    void multipleComparisonCorrections() {
        double[] p = { 0.01, 0.04, 0.03, 0.005, 0.20 };
        // scipy.stats.false_discovery_control(p, method='bh') = [0.025, 0.05, 0.05, 0.025, 0.2]
        assertThat(ExperimentStatistics.benjaminiHochberg(p)).containsExactly(new double[] { 0.025, 0.05, 0.05, 0.025, 0.2 }, within(1e-12));
        // Holm by hand: sorted 0.005·5, 0.01·4, 0.03·3, max(0.04·2, 0.09), 0.20·1 — in the input's order
        assertThat(ExperimentStatistics.holm(p)).containsExactly(new double[] { 0.04, 0.09, 0.09, 0.025, 0.2 }, within(1e-12));
    }

    @Test
    void cupedRemovesThePrePeriodsShareOfTheVariance() {
        // x = 100 + 20 sin(0.7 i (+ 0.35)), y = 0.8 x (+ 2) + 5 cos(1.3 i (+ 0.5)), i < 200, control (treatment); with NumPy:
        // theta = 0.8012020016150099, adjusted difference 1.9863606098885924, Welch p on the adjusted values
        // 3.90571129049443e-08 against 0.08792257488947831 unadjusted
        int n = 200;
        double[] xa = new double[n];
        double[] ya = new double[n];
        double[] xb = new double[n];
        double[] yb = new double[n];
        for (int i = 0; i < n; i++) {
            xa[i] = 100 + 20 * Math.sin(0.7 * i);
            ya[i] = 0.8 * xa[i] + 5 * Math.cos(1.3 * i);
            xb[i] = 100 + 20 * Math.sin(0.7 * i + 0.35);
            yb[i] = 0.8 * xb[i] + 2 + 5 * Math.cos(1.3 * i + 0.5);
        }
        java.util.List<Sample> adjusted = ExperimentStatistics.cuped(java.util.List.of(moments(ya, xa), moments(yb, xb)));
        Comparison raw = ExperimentStatistics.welch(moments(ya, xa).sample(), moments(yb, xb).sample(), 0.95);
        assertThat(raw.pValue()).isCloseTo(ExperimentStatistics.welch(Sample.of(ya), Sample.of(yb), 0.95).pValue(), within(1e-12));
        Comparison cuped = ExperimentStatistics.welch(adjusted.get(0), adjusted.get(1), 0.95);
        assertThat(raw.pValue()).isCloseTo(0.08792257488947831, within(1e-9));
        assertThat(cuped.difference()).isCloseTo(1.9863606098885924, within(1e-9));
        assertThat(cuped.pValue()).isCloseTo(3.90571129049443e-08, within(1e-12));
    }

    private static ExperimentStatistics.Moments moments(double[] y, double[] x) {
        double sy = 0;
        double syy = 0;
        double sx = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < y.length; i++) {
            sy += y[i];
            syy += y[i] * y[i];
            sx += x[i];
            sxx += x[i] * x[i];
            sxy += x[i] * y[i];
        }
        return new ExperimentStatistics.Moments(y.length, sy, syy, sx, sxx, sxy);
    }

    @Test
    void alwaysValidPValuesNeverRiseAcrossLooks() {
        // V = 0.1·0.9/2000 + 0.125·0.875/2000, τ² = 1e-4, Δ = 0.025: Λ = 3.3956470621517556 (NumPy), p = 1/Λ
        double variance = 0.1 * 0.9 / 2000 + 0.125 * 0.875 / 2000;
        double p = ExperimentStatistics.alwaysValidPValue(0.025, variance, 1e-4, 1.0);
        assertThat(p).isCloseTo(0.29449468148386404, within(1e-12));
        // a later look with a weaker estimate keeps the earlier, smaller p-value
        assertThat(ExperimentStatistics.alwaysValidPValue(0.001, variance / 2, 1e-4, p)).isEqualTo(p);
    }
}
