package io.custops.evaluation.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.custops.evaluation.attribution.AttributionModels.Credit;
import io.custops.evaluation.attribution.AttributionModels.Model;
import io.custops.evaluation.attribution.AttributionModels.Path;
import io.custops.evaluation.attribution.AttributionModels.PathCount;
import io.custops.evaluation.attribution.AttributionModels.Result;
import io.custops.evaluation.attribution.AttributionModels.Touch;

/**
 * Known answers computed by hand (the arithmetic is in the comments), on five paths over email, sms and push:
 * <pre>
 * P1: email (2h before) → sms (1h before) → conversion worth 100
 * P2: email (3h before)                    → conversion worth 50
 * P3: sms (2h) → push (1h) → email (0h)    → conversion worth 30
 * P4: email → push                         → no conversion
 * P5: sms                                  → no conversion
 * </pre>
 * Three converting paths worth 180 in all, so every model's credits must sum to 3 conversions and 180.
 */
class AttributionModelsTest {
    private static final Instant T = Instant.parse("2024-03-01T12:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final double EPS = 1e-9;

    private static final List<Path> PATHS = List.of(
            converted(100, touch("email", 2), touch("sms", 1)),
            converted(50, touch("email", 3)),
            converted(30, touch("sms", 2), touch("push", 1), touch("email", 0)),
            notConverted(touch("email", 5), touch("push", 4)),
            notConverted(touch("sms", 1)));

    @Test
    void firstTouch() {
        // P1, P2 → email (100 + 50); P3 → sms (30); push is never first, so it gets no credit line
        Result r = AttributionModels.attribute(Model.FIRST_TOUCH, PATHS, null, 10);
        assertCredits(r, credit("email", 2, 150), credit("sms", 1, 30));
    }

    @Test
    void lastTouch() {
        // P1 → sms (100); P2, P3 → email (50 + 30)
        Result r = AttributionModels.attribute(Model.LAST_TOUCH, PATHS, null, 10);
        assertCredits(r, credit("email", 2, 80), credit("sms", 1, 100));
    }

    @Test
    void linear() {
        // P1: email, sms 1/2 each (50 each); P2: email 1 (50); P3: sms, push, email 1/3 each (10 each)
        // email = 1/2 + 1 + 1/3 = 11/6, value 50 + 50 + 10 = 110
        // sms   = 1/2 + 1/3     = 5/6,  value 50 + 10      = 60
        // push  = 1/3,                  value 10
        Result r = AttributionModels.attribute(Model.LINEAR, PATHS, null, 10);
        assertCredits(r, credit("email", 11.0 / 6, 110), credit("sms", 5.0 / 6, 60), credit("push", 1.0 / 3, 10));
    }

    @Test
    void timeDecay() {
        // half-life 1h, weight 2^-(hours before conversion):
        // P1: email 2h → 1/4, sms 1h → 1/2; normalised 1/3, 2/3 → values 100/3, 200/3
        // P2: email alone → 1 → value 50
        // P3: sms 2h → 1/4, push 1h → 1/2, email 0h → 1; sum 7/4, normalised 1/7, 2/7, 4/7 → values 30/7, 60/7, 120/7
        // email = 1/3 + 1 + 4/7 = (7 + 21 + 12)/21 = 40/21, value 100/3 + 50 + 120/7 = (700 + 1050 + 360)/21 = 2110/21
        // sms   = 2/3 + 1/7     = (14 + 3)/21      = 17/21, value 200/3 + 30/7      = (1400 + 90)/21       = 1490/21
        // push  = 2/7                              = 6/21,  value 60/7                                     = 180/21
        Result r = AttributionModels.attribute(Model.TIME_DECAY, PATHS, HOUR, 10);
        assertCredits(r, credit("email", 40.0 / 21, 2110.0 / 21), credit("sms", 17.0 / 21, 1490.0 / 21),
                credit("push", 6.0 / 21, 180.0 / 21));
    }

    @Test
    void positionBased() {
        // P1 (2 touches): email, sms 50/50 → 0.5 each, 50 each; P2 (1 touch): email 1 → 50
        // P3 (3 touches): sms 0.4 (12), push 0.2 (6), email 0.4 (12)
        // email = 0.5 + 1 + 0.4 = 1.9, value 50 + 50 + 12 = 112; sms = 0.5 + 0.4 = 0.9, value 50 + 12 = 62; push 0.2, value 6
        Result r = AttributionModels.attribute(Model.POSITION_BASED, PATHS, null, 10);
        assertCredits(r, credit("email", 1.9, 112), credit("sms", 0.9, 62), credit("push", 0.2, 6));
    }

    @Test
    void markovRemovalEffects() {
        // Transition counts (S = START, C = CONVERSION, N = NULL):
        //   S:     →email 3 (P1, P2, P4), →sms 2 (P3, P5)                   of 5
        //   email: →sms 1 (P1), →C 2 (P2, P3), →push 1 (P4)                 of 4
        //   sms:   →C 1 (P1), →push 1 (P3), →N 1 (P5)                       of 3
        //   push:  →email 1 (P3), →N 1 (P4)                                 of 2
        // Probabilities:
        //   S→email 3/5, S→sms 2/5; email→sms 1/4, email→C 1/2, email→push 1/4;
        //   sms→C 1/3, sms→push 1/3, sms→N 1/3; push→email 1/2, push→N 1/2
        // Probability of converting from each state (e, s, p):
        //   e = 1/2 + s/4 + p/4,  s = 1/3 + p/3,  p = e/2
        //   → s = 1/3 + e/6, e = 1/2 + 1/12 + e/24 + e/8 = 7/12 + e/6 → e = 7/10, p = 7/20, s = 1/3 + 7/60 = 9/20
        //   P(conv) = 3/5 · 7/10 + 2/5 · 9/20 = 21/50 + 9/50 = 3/5
        // Without email (S→email and push→email go to N): p = 0, s = 1/3, P = 2/5 · 1/3 = 2/15
        //   RE(email) = 1 − (2/15)/(3/5) = 1 − 2/9 = 7/9
        // Without sms (S→sms and email→sms go to N): e = 1/2 + p/4, p = e/2 → e = 4/7, P = 3/5 · 4/7 = 12/35
        //   RE(sms) = 1 − (12/35)/(3/5) = 1 − 4/7 = 3/7
        // Without push (email→push and sms→push go to N): s = 1/3, e = 1/2 + 1/12 = 7/12, P = 3/5 · 7/12 + 2/5 · 1/3 = 29/60
        //   RE(push) = 1 − (29/60)/(3/5) = 1 − 29/36 = 7/36
        // ΣRE = 7/9 + 3/7 + 7/36 = (196 + 108 + 49)/252 = 353/252 → shares 196/353, 108/353, 49/353
        // Credits = share × 3 conversions and share × 180:
        //   email 588/353, 35280/353; sms 324/353, 19440/353; push 147/353, 8820/353
        Result r = AttributionModels.attribute(Model.MARKOV, PATHS, null, 10);
        assertCredits(r, credit("email", 588.0 / 353, 35280.0 / 353), credit("sms", 324.0 / 353, 19440.0 / 353),
                credit("push", 147.0 / 353, 8820.0 / 353));
    }

    @Test
    void markovCollapsesRepeatsAndGivesNothingWithoutConversions() {
        // email → email → sms is the chain S → email → sms: the same credits as markovRemovalEffects
        List<Path> repeated = new ArrayList<>(PATHS);
        repeated.set(0, converted(100, touch("email", 3), touch("email", 2), touch("sms", 1)));
        assertCredits(AttributionModels.attribute(Model.MARKOV, repeated, null, 10), credit("email", 588.0 / 353, 35280.0 / 353),
                credit("sms", 324.0 / 353, 19440.0 / 353), credit("push", 147.0 / 353, 8820.0 / 353));

        // P(conv) = 0: no credits, but the paths still count
        Result none = AttributionModels.attribute(Model.MARKOV, List.of(notConverted(touch("email", 1)), notConverted(touch("sms", 1))),
                null, 10);
        assertThat(none.credits()).isEmpty();
        assertThat(none.paths()).isEqualTo(2);
        assertThat(none.totalConversions()).isZero();
    }

    @Test
    void creditsSumToTheConvertedPathsWithTouchesForEveryModel() {
        // a direct conversion (no touch) counts as a path and as converting, but is in neither the credits nor the totals
        List<Path> paths = new ArrayList<>(PATHS);
        paths.add(new Path(List.of(), true, T, 999));
        for (Model model : Model.values()) {
            Result r = AttributionModels.attribute(model, paths, HOUR, 10);
            assertThat(r.model()).isEqualTo(model);
            assertThat(r.paths()).as(model.name()).isEqualTo(6);
            assertThat(r.convertingPaths()).as(model.name()).isEqualTo(4);
            assertThat(r.totalConversions()).as(model.name()).isCloseTo(3, within(EPS));
            assertThat(r.totalValue()).as(model.name()).isCloseTo(180, within(EPS));
            assertThat(r.credits().stream().mapToDouble(Credit::conversions).sum()).as(model.name()).isCloseTo(3, within(EPS));
            assertThat(r.credits().stream().mapToDouble(Credit::value).sum()).as(model.name()).isCloseTo(180, within(EPS));
        }
    }

    @Test
    void positionBasedSplitsTwoTouchesInHalf() {
        Result r = AttributionModels.attribute(Model.POSITION_BASED, List.of(converted(10, touch("a", 2), touch("b", 1))), null, 10);
        assertCredits(r, credit("a", 0.5, 5), credit("b", 0.5, 5));
    }

    @Test
    void linearGivesARepeatedKeyOneSharePerTouch() {
        // email, email, sms: 1/3 each → email 2/3 (value 40), sms 1/3 (value 20)
        Result r = AttributionModels.attribute(Model.LINEAR,
                List.of(converted(60, touch("email", 3), touch("email", 2), touch("sms", 1))), null, 10);
        assertCredits(r, credit("email", 2.0 / 3, 40), credit("sms", 1.0 / 3, 20));
    }

    @Test
    void timeDecayRefusesANonPositiveHalfLife() {
        for (Duration halfLife : Arrays.asList(Duration.ZERO, Duration.ofHours(-1), null)) {
            assertThatThrownBy(() -> AttributionModels.attribute(Model.TIME_DECAY, PATHS, halfLife, 10))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void topPathsAreCountedAndOrderedByPathsThenKeys() {
        List<Path> paths = List.of(
                converted(50, touch("email", 1)), converted(20, touch("email", 1)), notConverted(touch("email", 1)),
                converted(10, touch("sms", 2), touch("push", 1)), notConverted(touch("sms", 2), touch("push", 1)),
                notConverted(touch("push", 1)), notConverted(touch("push", 1)),
                converted(7, touch("email", 2), touch("sms", 1)),
                new Path(List.of(), true, T, 5));
        Result r = AttributionModels.attribute(Model.LINEAR, paths, null, 3);
        // [email] ×3 first; [push] and [sms > push] tie at 2 and go by joined keys: "push" < "sms > push"
        assertThat(r.topPaths()).containsExactly(
                new PathCount(List.of("email"), 3, 2, 70),
                new PathCount(List.of("push"), 2, 0, 0),
                new PathCount(List.of("sms", "push"), 2, 1, 10));
        // all five sequences; among the singles the direct one (no keys, joined "") sorts first
        assertThat(AttributionModels.attribute(Model.LINEAR, paths, null, 100).topPaths()).extracting(PathCount::keys)
                .containsExactly(List.of("email"), List.of("push"), List.of("sms", "push"), List.of(), List.of("email", "sms"));
        assertThat(AttributionModels.attribute(Model.LINEAR, paths, null, 0).topPaths()).isEmpty();
    }

    @Test
    void touchesGivenOutOfOrderAreSortedByTime() {
        // given sms (1h before), email (3h before), push (2h before): the path is email → push → sms
        Path shuffled = converted(10, touch("sms", 1), touch("email", 3), touch("push", 2));
        assertCredits(AttributionModels.attribute(Model.FIRST_TOUCH, List.of(shuffled), null, 1), credit("email", 1, 10));
        assertCredits(AttributionModels.attribute(Model.LAST_TOUCH, List.of(shuffled), null, 1), credit("sms", 1, 10));
        assertThat(AttributionModels.attribute(Model.LINEAR, List.of(shuffled), null, 1).topPaths().get(0).keys())
                .containsExactly("email", "push", "sms");
        // ties keep the given order
        Path tie = converted(10, touch("b", 1), touch("a", 1));
        assertCredits(AttributionModels.attribute(Model.FIRST_TOUCH, List.of(tie), null, 1), credit("b", 1, 10));
    }

    @Test
    void noPathsGiveAnEmptyResult() {
        for (List<Path> paths : Arrays.asList(List.<Path>of(), null)) {
            for (Model model : Model.values()) {
                Result r = AttributionModels.attribute(model, paths, HOUR, 10);
                assertThat(r.credits()).isEmpty();
                assertThat(r.topPaths()).isEmpty();
                assertThat(r.paths()).isZero();
                assertThat(r.convertingPaths()).isZero();
                assertThat(r.totalConversions()).isZero();
                assertThat(r.totalValue()).isZero();
            }
        }
    }

    private static void assertCredits(Result r, Credit... expected) {
        assertThat(r.credits()).extracting(Credit::key).containsExactly(Arrays.stream(expected).map(Credit::key).toArray(String[]::new));
        for (int i = 0; i < expected.length; i++) {
            Credit actual = r.credits().get(i);
            assertThat(actual.conversions()).as(actual.key() + " conversions").isCloseTo(expected[i].conversions(), within(EPS));
            assertThat(actual.value()).as(actual.key() + " value").isCloseTo(expected[i].value(), within(EPS));
        }
    }

    private static Credit credit(String key, double conversions, double value) {
        return new Credit(key, conversions, value);
    }

    /** A touch {@code hoursBefore} hours before {@link #T}, the conversion time of every converted path here. */
    private static Touch touch(String key, int hoursBefore) {
        return new Touch(key, T.minus(HOUR.multipliedBy(hoursBefore)));
    }

    private static Path converted(double value, Touch... touches) {
        return new Path(List.of(touches), true, T, value);
    }

    private static Path notConverted(Touch... touches) {
        return new Path(List.of(touches), false, null, 0);
    }
}
