package io.custops.evaluation.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A KPI alert rule and its evaluation, a pure function of the KPI's values in consecutive complete periods. In
 * {@code threshold} mode the levels are KPI values; in {@code baseline} mode they are deviations in percent from the
 * mean of the {@code baselinePeriods} periods before the breach window. The condition must hold in each of the last
 * {@code periods} periods; the severity is the highest level crossed in all of them.
 */
public record AlertRule(UUID id, String name, String kpi, String grain, String dim, String dimValue, String mode, String direction, Double info,
        Double warning, Double critical, int periods, int baselinePeriods, double minDenominator, boolean enabled, int version) {

    public static final List<String> SEVERITIES = List.of("info", "warning", "critical");

    /** One period of the KPI; value null when there is nothing to divide by (or too little: under the rule's minimum). */
    public record Observation(java.time.LocalDate period, Double value) {
    }

    public record Breach(String severity, double value, Double baseline, double threshold) {
    }

    /** The levels from most to least severe, those set. */
    List<Object[]> levels() {
        List<Object[]> levels = new ArrayList<>();
        if (critical != null) {
            levels.add(new Object[] { "critical", critical });
        }
        if (warning != null) {
            levels.add(new Object[] { "warning", warning });
        }
        if (info != null) {
            levels.add(new Object[] { "info", info });
        }
        return levels;
    }

    /** @param observations consecutive complete periods, oldest first, the last being the one to judge */
    public Optional<Breach> evaluate(List<Observation> observations) {
        if (observations.size() < periods) {
            return Optional.empty();
        }
        List<Observation> window = observations.subList(observations.size() - periods, observations.size());
        if (window.stream().anyMatch(o -> o.value() == null)) {
            return Optional.empty();
        }
        Double baseline = null;
        List<Double> measured = window.stream().map(Observation::value).toList();
        if ("baseline".equals(mode)) {
            List<Double> before = observations.subList(Math.max(0, observations.size() - periods - baselinePeriods), observations.size() - periods)
                    .stream().map(Observation::value).filter(v -> v != null).toList();
            if (before.isEmpty()) {
                return Optional.empty();
            }
            double mean = before.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            if (mean == 0) {
                return Optional.empty(); // no relative deviation from nothing
            }
            baseline = mean;
            measured = measured.stream().map(v -> (v - mean) / Math.abs(mean) * 100).toList();
        }
        for (Object[] level : levels()) {
            double threshold = (Double) level[1];
            boolean all = measured.stream().allMatch(m -> "above".equals(direction) ? m >= threshold : m <= threshold);
            if (all) {
                return Optional.of(new Breach((String) level[0], window.get(window.size() - 1).value(), baseline, threshold));
            }
        }
        return Optional.empty();
    }

    /** Whether severity {@code a} is above {@code b}. */
    public static boolean higher(String a, String b) {
        return SEVERITIES.indexOf(a) > SEVERITIES.indexOf(b);
    }
}
