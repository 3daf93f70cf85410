package io.custops.evaluation.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.custops.evaluation.reports.ReportDtos.AlertLine;
import io.custops.evaluation.reports.ReportDtos.Driver;
import io.custops.evaluation.reports.ReportDtos.KpiLine;
import io.custops.evaluation.reports.ReportDtos.Mover;
import io.custops.evaluation.reports.ReportDtos.Recommendation;
import io.custops.evaluation.reports.ReportDtos.Window;

/** The review arithmetic on hand-made rollup rows; every expected figure is worked out in the comments. */
class ReviewAnalysisTest {
    private static final LocalDate FEB = LocalDate.of(2021, 2, 1), MAR = LocalDate.of(2021, 3, 1);
    private static final Window MARCH = new Window(MAR, LocalDate.of(2021, 3, 31), 1), FEBRUARY = new Window(FEB, LocalDate.of(2021, 2, 28), 1);
    private static final ReviewAnalysis.Settings SETTINGS = new ReviewAnalysis.Settings(5, 3, 0.05, 20);

    private final List<ReviewAnalysis.Row> rows = new ArrayList<>();

    private void row(String kpi, String dim, String value, LocalDate period, double num, double den) {
        rows.add(new ReviewAnalysis.Row(kpi, dim, value, dim.equals("segment") ? "VIPs" : value, period, num, den));
    }

    @Test
    void aRateFallIsSplitExactlyOverTheTiersThatDroveIt() {
        // all: 20/100 = 20% → 10/100 = 10%; gold 15/50 → 3/50 and silver 5/50 → 7/50: gold falls, silver rises
        row("retention-rate", "all", "", FEB, 20, 100);
        row("retention-rate", "all", "", MAR, 10, 100);
        row("retention-rate", "tier", "gold", FEB, 15, 50);
        row("retention-rate", "tier", "gold", MAR, 3, 50);
        row("retention-rate", "tier", "silver", FEB, 5, 50);
        row("retention-rate", "tier", "silver", MAR, 7, 50);
        ReviewAnalysis analysis = new ReviewAnalysis(rows, MARCH, FEBRUARY, null, SETTINGS);

        Mover mover = analysis.movers().get(0);
        assertThat(mover.kpi()).isEqualTo("retention-rate");
        assertThat(mover.value()).isCloseTo(10, within(1e-9));
        assertThat(mover.comparison()).isCloseTo(20, within(1e-9));
        assertThat(mover.change()).isCloseTo(-0.5, within(1e-9));
        assertThat(mover.favourable()).isFalse();
        // R = 0.2: gold (3 − 0.2·50)/100 − (15 − 0.2·50)/100 = −0.07 − 0.05 = −12 points; silver (7 − 10)/100 − (5 − 10)/100 = +2 points.
        // They add up to the −10 points; only gold moved it the way it went, with 120% of the change.
        assertThat(mover.drivers()).singleElement().satisfies(d -> {
            assertThat(d.dimValue()).isEqualTo("gold");
            assertThat(d.contribution()).isCloseTo(-12, within(1e-9));
            assertThat(d.share()).isCloseTo(1.2, within(1e-9));
            assertThat(d.value()).isCloseTo(6, within(1e-9));
            assertThat(d.comparison()).isCloseTo(30, within(1e-9));
        });
    }

    @Test
    void countsOverSeveralMonthsAreAveragesPerMonthWithQuietMonthsAsZeroAndCumulativeKpisTakeTheLastMonth() {
        LocalDate jan = LocalDate.of(2021, 1, 1), apr = LocalDate.of(2021, 4, 1), jun = LocalDate.of(2021, 6, 1);
        Window baseline = new Window(jan, LocalDate.of(2021, 3, 31), 3), programme = new Window(apr, LocalDate.of(2021, 6, 30), 3);
        // orders 30 a month before; 60, nothing, 60 since: 40 a month, +33.3%
        for (int m = 0; m < 3; m++) {
            row("orders", "all", "", jan.plusMonths(m), 30, 1);
        }
        row("orders", "all", "", apr, 60, 1);
        row("orders", "all", "", jun, 60, 1);
        // refund rate pools the months: (5 + 15) / (100 + 100) = 10% before, 30 / 300 = 10% since
        row("refund-rate", "all", "", jan, 5, 100);
        row("refund-rate", "all", "", FEB, 15, 100);
        row("refund-rate", "all", "", apr, 30, 300);
        // LTV as at the end of each window: 5000 / 100 = 50, then 9000 / 120 = 75 (+50%, the biggest mover)
        row("ltv", "all", "", FEB, 4000, 90);
        row("ltv", "all", "", MAR, 5000, 100);
        row("ltv", "all", "", jun, 9000, 120);
        row("ltv", "all", "", apr, 6000, 110);
        ReviewAnalysis analysis = new ReviewAnalysis(rows, programme, baseline, null, SETTINGS);

        KpiLine orders = line(analysis, "orders"), refunds = line(analysis, "refund-rate"), ltv = line(analysis, "ltv");
        assertThat(orders.value()).isCloseTo(40, within(1e-9));
        assertThat(orders.comparison()).isCloseTo(30, within(1e-9));
        assertThat(orders.change()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(orders.favourable()).isTrue();
        assertThat(refunds.value()).isCloseTo(10, within(1e-9));
        assertThat(refunds.comparison()).isCloseTo(10, within(1e-9));
        assertThat(refunds.change()).isCloseTo(0, within(1e-9));
        assertThat(ltv.value()).isCloseTo(75, within(1e-9));
        assertThat(ltv.comparison()).isCloseTo(50, within(1e-9));
        // a count is always there (zero); a rate with no data is not
        assertThat(line(analysis, "complaints").value()).isZero();
        assertThat(line(analysis, "nps").value()).isNull();
        assertThat(analysis.movers()).extracting(Mover::kpi).containsExactly("ltv", "orders");
    }

    @Test
    void smallVolumesAndSmallChangesAreNoMovers() {
        // NPS from 5 answers to 4: −100%, but on fewer than 20 answers
        row("nps", "all", "", FEB, 5, 5);
        row("nps", "all", "", MAR, 0, 4);
        // complaints 2 → 6: +200%, but fewer than 20 of them
        row("complaints", "all", "", FEB, 2, 1);
        row("complaints", "all", "", MAR, 6, 1);
        // open rate 20.0% → 20.8%: +4%, under the 5% minimum
        row("open-rate", "all", "", FEB, 200, 1000);
        row("open-rate", "all", "", MAR, 208, 1000);
        ReviewAnalysis analysis = new ReviewAnalysis(rows, MARCH, FEBRUARY, null, SETTINGS);
        assertThat(analysis.movers()).isEmpty();
        assertThat(analysis.recommendations(List.of())).isEmpty();
    }

    @Test
    void rulesRecommendWithTheDrivingGroupAndOpenCriticalAlertsComeFirst() {
        // unsubscribes 1% → 3% of 1000 sent (+200%): the rule fires, driven by the e-mail channel (20 of the 20 extra)
        row("unsubscribe-rate", "all", "", FEB, 10, 1000);
        row("unsubscribe-rate", "all", "", MAR, 30, 1000);
        row("unsubscribe-rate", "channel", "email", FEB, 8, 500);
        row("unsubscribe-rate", "channel", "email", MAR, 28, 500);
        row("unsubscribe-rate", "channel", "sms", FEB, 2, 500);
        row("unsubscribe-rate", "channel", "sms", MAR, 2, 500);
        // revenue −8%: under revenue-down's 10%, so no recommendation
        row("net-revenue", "all", "", FEB, 1000, 1);
        row("net-revenue", "all", "", MAR, 920, 1);
        ReviewAnalysis analysis = new ReviewAnalysis(rows, MARCH, FEBRUARY, null, SETTINGS);
        List<AlertLine> alerts = List.of(
                new AlertLine(UUID.randomUUID(), "Complaints high", "complaints", "critical", "", FEB, "open"),
                new AlertLine(UUID.randomUUID(), "Old one", "nps", "critical", "", FEB, "resolved"),
                new AlertLine(UUID.randomUUID(), "Soft", "orders", "warning", "", MAR, "open"));

        List<Recommendation> recommendations = analysis.recommendations(alerts);
        assertThat(recommendations).extracting(Recommendation::rule).containsExactly("critical-alert-open", "unsubscribes-up");
        assertThat(recommendations.get(0).kpi()).isEqualTo("complaints");
        Recommendation unsubscribes = recommendations.get(1);
        assertThat(unsubscribes.priority()).isEqualTo("high"); // +200% is at least twice the rule's 20%
        assertThat(unsubscribes.focus()).isEqualTo("channel email");
        // e-mail: (28 − 0.01·500)/1000 − (8 − 0.01·500)/1000 = 0.023 − 0.003 = 2 points of the 2: 100%
        assertThat(unsubscribes.text()).endsWith("Start with channel email, behind 100% of the change.");
        List<Driver> drivers = analysis.movers().get(0).drivers();
        assertThat(drivers).extracting(Driver::dimValue).containsExactly("email");
        assertThat(drivers.get(0).contribution()).isCloseTo(2, within(1e-9));
    }

    private static KpiLine line(ReviewAnalysis analysis, String kpi) {
        return analysis.summary().stream().filter(l -> l.kpi().equals(kpi)).findFirst().orElseThrow();
    }
}
