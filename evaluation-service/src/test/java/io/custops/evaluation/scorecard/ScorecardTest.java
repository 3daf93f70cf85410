package io.custops.evaluation.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.custops.platform.problem.ProblemException;

/** The scorecard's arithmetic on a two-layer card, worked by hand. */
class ScorecardTest {
    private static final Scorecard.Config CARD = new Scorecard.Config(List.of(
            new Scorecard.Layer("financial", 0.6, List.of(new Scorecard.Indicator("net-revenue", 0.5, 1000.0, "higher"),
                    new Scorecard.Indicator("ltv", 0.5, null, "higher"))),
            new Scorecard.Layer("operations", 0.4, List.of(new Scorecard.Indicator("complaint-response-hours", 0.5, 24.0, "lower"),
                    new Scorecard.Indicator("nps", 0.5, 30.0, "higher")))), 3);

    @Test
    void weightedAttainmentCappedPerIndicator() {
        // revenue 1200 / 1000 = 120% (counts as 100%); LTV 90 against last period's 100 = 90%: financial (1 + 0.9) / 2 = 95
        // response 48 h against 24 h (lower is better) = 50%; NPS -10: 0%: operations (0.5 + 0) / 2 = 25
        // overall 0.6 × 95 + 0.4 × 25 = 67
        Scorecard.Result result = Scorecard.score(CARD, "month", LocalDate.of(2025, 5, 1),
                Map.of("net-revenue", 1200.0, "ltv", 90.0, "complaint-response-hours", 48.0, "nps", -10.0), Map.of("ltv", 100.0));
        assertThat(result.score()).isCloseTo(67, within(1e-9));
        assertThat(result.layers().get(0).score()).isCloseTo(95, within(1e-9));
        assertThat(result.layers().get(0).indicators().get(0).attainment()).isCloseTo(1.2, within(1e-9));
        assertThat(result.layers().get(0).indicators().get(1).targetSource()).isEqualTo("previous period");
        assertThat(result.layers().get(1).indicators().get(0).attainment()).isCloseTo(0.5, within(1e-9));
        assertThat(result.layers().get(1).indicators().get(1).attainment()).isZero();
        assertThat(result.version()).isEqualTo(3);
    }

    @Test
    void indicatorsWithoutDataLeaveTheScoreAndTheRestIsReweighted() {
        // no LTV history, no NPS answers: financial = revenue alone (100), operations = response alone (24 / 12 = 200%, capped: 100)
        Scorecard.Result result = Scorecard.score(CARD, "month", LocalDate.of(2025, 5, 1),
                Map.of("net-revenue", 1000.0, "ltv", 90.0, "complaint-response-hours", 12.0), Map.of());
        assertThat(result.layers().get(0).indicators().get(1).attainment()).isNull();
        assertThat(result.layers().get(1).indicators().get(0).attainment()).isCloseTo(Scorecard.CAP, within(1e-9));
        assertThat(result.score()).isCloseTo(100, within(1e-9));
        assertThat(Scorecard.score(CARD, "month", LocalDate.of(2025, 5, 1), Map.of(), Map.of()).score()).isNull();
    }

    @Test
    void weightsMustAddUpAndIndicatorsBeKpis() {
        Scorecard.validate(Scorecard.defaults());
        assertThatThrownBy(() -> Scorecard.validate(new Scorecard.Config(List.of(new Scorecard.Layer("x", 0.5, List.of(
                new Scorecard.Indicator("happiness", 0.7, -1.0, "sideways")))), 1)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactlyInAnyOrder(
                        "layers", "layers[0].indicators", "layers[0].indicators[0].kpi", "layers[0].indicators[0].better",
                        "layers[0].indicators[0].target"));
    }
}
