package io.custops.evaluation.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The judgement of one group's periods: thresholds, baseline deviations, consecutive periods, severities. */
class AlertRuleTest {
    private static AlertRule rule(String mode, String direction, Double info, Double warning, Double critical, int periods, int baseline) {
        return new AlertRule(UUID.randomUUID(), "r", "complaints", "day", "all", null, mode, direction, info, warning, critical, periods, baseline, 0,
                true, 1);
    }

    private static List<AlertRule.Observation> days(Double... values) {
        List<AlertRule.Observation> days = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            days.add(new AlertRule.Observation(LocalDate.of(2025, 6, 1).plusDays(i), values[i]));
        }
        return days;
    }

    @Test
    void aThresholdGivesTheHighestLevelCrossed() {
        AlertRule above = rule("threshold", "above", 5.0, 10.0, 20.0, 1, 7);
        assertThat(above.evaluate(days(1.0, 12.0))).hasValueSatisfying(b -> {
            assertThat(b.severity()).isEqualTo("warning");
            assertThat(b.threshold()).isEqualTo(10.0);
            assertThat(b.value()).isEqualTo(12.0);
            assertThat(b.baseline()).isNull();
        });
        assertThat(above.evaluate(days(20.0)).orElseThrow().severity()).isEqualTo("critical"); // the level itself counts
        assertThat(above.evaluate(days(4.99))).isEmpty();
        AlertRule below = rule("threshold", "below", null, 0.0, -20.0, 1, 7); // e.g. NPS below 0, critical below -20
        assertThat(below.evaluate(days(-5.0)).orElseThrow().severity()).isEqualTo("warning");
        assertThat(below.evaluate(days(-25.0)).orElseThrow().severity()).isEqualTo("critical");
        assertThat(below.evaluate(days(3.0))).isEmpty();
    }

    @Test
    void nConsecutivePeriodsMustAllHoldAndTheWeakestDecides() {
        AlertRule three = rule("threshold", "above", null, 10.0, 20.0, 3, 7);
        assertThat(three.evaluate(days(25.0, 25.0, 9.0, 30.0, 30.0))).isEmpty(); // only two in a row
        assertThat(three.evaluate(days(1.0, 25.0, 12.0, 30.0)).orElseThrow().severity()).isEqualTo("warning"); // 12 is not critical
        assertThat(three.evaluate(days(21.0, 25.0, 30.0)).orElseThrow().severity()).isEqualTo("critical");
        assertThat(three.evaluate(days(30.0, 30.0))).isEmpty(); // not enough periods yet
        assertThat(three.evaluate(days(30.0, null, 30.0))).isEmpty(); // a period without a value breaks the run
    }

    @Test
    void aBaselineRuleMeasuresThePercentDeviationFromTheMeanBefore() {
        // baseline: the 4 days before the window, mean (8 + 10 + 12 + 10) / 4 = 10; window 16, 15: +60%, +50%
        AlertRule baseline = rule("baseline", "above", 25.0, 50.0, 100.0, 2, 4);
        AlertRule.Breach breach = baseline.evaluate(days(100.0, 8.0, 10.0, 12.0, 10.0, 16.0, 15.0)).orElseThrow(); // 100 is outside the baseline
        assertThat(breach.severity()).isEqualTo("warning");
        assertThat(breach.baseline()).isEqualTo(10.0);
        assertThat(breach.value()).isEqualTo(15.0);
        assertThat(breach.threshold()).isEqualTo(50.0);
        assertThat(baseline.evaluate(days(10.0, 10.0, 12.0))).isEmpty(); // +20%: below every level
        assertThat(baseline.evaluate(days(0.0, 0.0, 5.0, 5.0))).isEmpty(); // no deviation from a baseline of nothing
        assertThat(baseline.evaluate(days(5.0, 5.0))).isEmpty(); // no baseline periods at all
        AlertRule drop = rule("baseline", "below", null, -30.0, -60.0, 1, 3);
        assertThat(drop.evaluate(days(100.0, 100.0, 100.0, 35.0)).orElseThrow().severity()).isEqualTo("critical"); // -65%
    }

    @Test
    void severitiesAreOrdered() {
        assertThat(AlertRule.higher("critical", "warning")).isTrue();
        assertThat(AlertRule.higher("warning", "info")).isTrue();
        assertThat(AlertRule.higher("info", "warning")).isFalse();
        assertThat(AlertRule.higher("warning", "warning")).isFalse();
    }
}
