package io.custops.evaluation.scorecard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.custops.evaluation.kpis.KpiCatalog;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;

/**
 * A balanced, weighted scorecard: layers (financial, customer, operations, brand) with weights summing to 1, each with
 * indicators (a KPI, its weight in the layer, a target and whether higher or lower is better). An indicator's
 * attainment is value over target (target over value when lower is better), 0 for a non-positive value where higher
 * is better, capped at 150%; without a target the period before is the target (hold the line). The score is the
 * weighted attainment capped at 100% per indicator (over-achieving one indicator cannot hide another), 0 to 100;
 * indicators without data leave the score and the rest are reweighted.
 */
public final class Scorecard {
    public static final double CAP = 1.5;

    public record Indicator(String kpi, double weight, Double target, String better) {
    }

    public record Layer(String name, double weight, List<Indicator> indicators) {
    }

    public record Config(List<Layer> layers, Integer version) {
    }

    public record IndicatorResult(String kpi, double weight, Double value, Double target, String targetSource, String better, Double attainment) {
    }

    public record LayerResult(String name, double weight, Double score, List<IndicatorResult> indicators) {
    }

    public record Result(String grain, java.time.LocalDate period, Double score, List<LayerResult> layers, int version) {
    }

    private Scorecard() {
    }

    public static Config defaults() {
        return new Config(List.of(
                new Layer("financial", 0.3, List.of(new Indicator("net-revenue", 0.5, null, "higher"), new Indicator("ltv", 0.3, null, "higher"),
                        new Indicator("roi", 0.2, null, "higher"))),
                new Layer("customer", 0.3, List.of(new Indicator("retention-rate", 0.4, null, "higher"), new Indicator("repurchase-rate", 0.3, null, "higher"),
                        new Indicator("nps", 0.3, 30.0, "higher"))),
                new Layer("operations", 0.2, List.of(new Indicator("complaint-resolution-rate", 0.4, 90.0, "higher"),
                        new Indicator("complaint-response-hours", 0.3, 24.0, "lower"), new Indicator("delivery-rate", 0.3, 98.0, "higher"))),
                new Layer("brand", 0.2, List.of(new Indicator("active-customers", 0.4, null, "higher"), new Indicator("referral-rate", 0.3, 5.0, "higher"),
                        new Indicator("points-redemption-rate", 0.3, null, "higher")))), 1);
    }

    public static void validate(Config config) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (config == null || config.layers() == null || config.layers().isEmpty()) {
            throw ProblemException.badRequest("a scorecard needs layers", List.of(new Problem.FieldError("layers", "at least one")));
        }
        if (Math.abs(config.layers().stream().mapToDouble(Layer::weight).sum() - 1) > 1e-6) {
            errors.add(new Problem.FieldError("layers", "weights must sum to 1"));
        }
        for (int i = 0; i < config.layers().size(); i++) {
            Layer layer = config.layers().get(i);
            String at = "layers[" + i + "]";
            if (layer.name() == null || layer.name().isBlank()) {
                errors.add(new Problem.FieldError(at + ".name", "required"));
            }
            if (layer.weight() <= 0) {
                errors.add(new Problem.FieldError(at + ".weight", "positive"));
            }
            if (layer.indicators() == null || layer.indicators().isEmpty()) {
                errors.add(new Problem.FieldError(at + ".indicators", "at least one"));
                continue;
            }
            if (Math.abs(layer.indicators().stream().mapToDouble(Indicator::weight).sum() - 1) > 1e-6) {
                errors.add(new Problem.FieldError(at + ".indicators", "weights must sum to 1"));
            }
            for (int j = 0; j < layer.indicators().size(); j++) {
                Indicator indicator = layer.indicators().get(j);
                String in = at + ".indicators[" + j + "]";
                if (indicator.kpi() == null || KpiCatalog.find(indicator.kpi()).isEmpty()) {
                    errors.add(new Problem.FieldError(in + ".kpi", "a KPI of GET /api/kpis"));
                }
                if (indicator.weight() <= 0) {
                    errors.add(new Problem.FieldError(in + ".weight", "positive"));
                }
                if (!"higher".equals(indicator.better()) && !"lower".equals(indicator.better())) {
                    errors.add(new Problem.FieldError(in + ".better", "higher or lower"));
                }
                if (indicator.target() != null && indicator.target() <= 0) {
                    errors.add(new Problem.FieldError(in + ".target", "positive, or absent for the period before"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the scorecard is not valid", errors);
        }
    }

    /** @param values the KPI values of the period, {@code previous} those of the period before (missing: no data) */
    public static Result score(Config config, String grain, java.time.LocalDate period, Map<String, Double> values, Map<String, Double> previous) {
        List<LayerResult> layers = new ArrayList<>();
        double total = 0, totalWeight = 0;
        for (Layer layer : config.layers()) {
            List<IndicatorResult> indicators = new ArrayList<>();
            double sum = 0, weights = 0;
            for (Indicator i : layer.indicators()) {
                Double value = values.get(i.kpi());
                Double target = i.target() != null ? i.target() : previous.get(i.kpi());
                Double attainment = attainment(value, target, i.better());
                indicators.add(new IndicatorResult(i.kpi(), i.weight(), value, target, i.target() != null ? "target" : "previous period", i.better(),
                        attainment));
                if (attainment != null) {
                    sum += i.weight() * Math.min(attainment, 1);
                    weights += i.weight();
                }
            }
            Double score = weights == 0 ? null : 100 * sum / weights;
            layers.add(new LayerResult(layer.name(), layer.weight(), score, indicators));
            if (score != null) {
                total += layer.weight() * score;
                totalWeight += layer.weight();
            }
        }
        return new Result(grain, period, totalWeight == 0 ? null : total / totalWeight, layers, config.version() == null ? 1 : config.version());
    }

    static Double attainment(Double value, Double target, String better) {
        if (value == null || target == null || target <= 0) {
            return null;
        }
        double a = "lower".equals(better) ? (value <= 0 ? CAP : target / value) : Math.max(0, value / target);
        return Math.min(a, CAP);
    }
}
