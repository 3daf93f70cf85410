package io.custops.segmentation.scoring;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The scoring configuration and the scoring models computed from it. A model is the configuration in force plus
 * what was measured over the active base (customers who ordered within the window) when it was computed: the
 * quintile edges of recency, frequency and monetary value, the quintile edges of 30-day interactions (over
 * customers who interacted), and the tier cut-offs. With {@code shares} tiers, the cut-off of tier A is the
 * (value score, window monetary) pair of the customer at rank ⌈n × share A⌉ when the active base is ranked by
 * both, and likewise for B (A + B) and C (A + B + C). Below {@code minActiveForQuantiles} active customers, the
 * fixed edges and thresholds of the configuration are used instead. For lifetime value the model also keeps the
 * median purchase cycle of repeat buyers and the mean net order value of the active base.
 */
@ApplicationScoped
public class ScoringModels {
    private final ObjectMapper mapper;

    public ScoringModels(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A scoring model as the explanation of a score needs it. */
    public record Model(long version, Instant computedAt, ScoringConfig config, long activeCustomers,
            List<BigDecimal> recencyEdges, List<BigDecimal> frequencyEdges, List<BigDecimal> monetaryEdges,
            List<BigDecimal> activityEdges, List<BigDecimal> tierMinScores, List<BigDecimal> tierMinMonetary,
            BigDecimal medianCycleDays, BigDecimal meanOrderValue) {
    }

    public Uni<ScoringConfig> config() {
        return NativeSql.single("SELECT CAST(config AS text) FROM scoring_config WHERE id = 1", String.class, Map.of())
                .map(json -> read(json, ScoringConfig.class));
    }

    /** Replaces the configuration (validated) in the current transaction. */
    public Uni<ScoringConfig> putConfig(ScoringConfig config, String actor) {
        var errors = config.violations();
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The scoring configuration is not valid.", errors);
        }
        return NativeSql.execute("UPDATE scoring_config SET config = CAST(CAST(:config AS text) AS jsonb), updated_at = now(),"
                + " updated_by = :actor WHERE id = 1", NativeSql.params("config", write(config), "actor", actor))
                .replaceWith(config);
    }

    /** The model of this version, or the latest when {@code version} is null; null when there is none. */
    public Uni<Model> model(Long version) {
        return NativeSql.list("""
                SELECT version, computed_at, CAST(config AS text), active_customers, CAST(array_to_json(recency_edges) AS text),
                       CAST(array_to_json(frequency_edges) AS text), CAST(array_to_json(monetary_edges) AS text),
                       CAST(array_to_json(activity_edges) AS text), CAST(array_to_json(tier_min_scores) AS text),
                       CAST(array_to_json(tier_min_monetary) AS text), median_cycle_days, mean_order_value
                FROM scoring_model WHERE version = coalesce(:version, (SELECT max(version) FROM scoring_model))""",
                Object[].class, NativeSql.params("version", version))
                .map(rows -> rows.isEmpty() ? null : toModel(rows.get(0)));
    }

    /** Computes a model when none exists yet (the first events scored after installation). */
    public Uni<Void> ensure(Instant now) {
        return NativeSql.list("SELECT 1 FROM scoring_model LIMIT 1", Object.class, Map.of())
                .flatMap(rows -> rows.isEmpty() ? compute(now).replaceWithVoid() : Uni.createFrom().voidItem());
    }

    /** Measures the active base and records a new model from the current configuration; returns its version. */
    public Uni<Long> compute(Instant now) {
        return NativeSql.single(COMPUTE, Long.class, Map.of("now", now.atOffset(java.time.ZoneOffset.UTC)));
    }

    private static final String COMPUTE = """
            WITH cfg AS (
                SELECT config, CAST(config->>'windowDays' AS integer) AS wd, config->>'binning' AS binning,
                       CAST(config->>'minActiveForQuantiles' AS integer) AS min_active, config->'tiers'->>'mode' AS tier_mode,
                       CAST(config->'weights'->>'recency' AS numeric) AS wr, CAST(config->'weights'->>'frequency' AS numeric) AS wf,
                       CAST(config->'weights'->>'monetary' AS numeric) AS wm,
                       ARRAY(SELECT CAST(x AS numeric) FROM jsonb_array_elements_text(config->'fixedEdges'->'recencyDays') x) AS fre,
                       ARRAY(SELECT CAST(x AS numeric) FROM jsonb_array_elements_text(config->'fixedEdges'->'frequency') x) AS ffe,
                       ARRAY(SELECT CAST(x AS numeric) FROM jsonb_array_elements_text(config->'fixedEdges'->'monetary') x) AS fme,
                       ARRAY(SELECT CAST(x AS numeric) FROM jsonb_array_elements_text(config->'fixedEdges'->'interactions30d') x) AS fae,
                       CAST(config->'tiers'->'shares'->>'A' AS numeric) AS sa, CAST(config->'tiers'->'shares'->>'B' AS numeric) AS sb,
                       CAST(config->'tiers'->'shares'->>'C' AS numeric) AS sc,
                       ARRAY[CAST(config->'tiers'->'thresholds'->>'A' AS numeric), CAST(config->'tiers'->'thresholds'->>'B' AS numeric),
                             CAST(config->'tiers'->'thresholds'->>'C' AS numeric)] AS thresholds
                FROM scoring_config WHERE id = 1),
            active AS (
                SELECT floor(extract(epoch FROM CAST(:now AS timestamptz) - s.last_order_at) / 86400)::integer AS rec,
                       s.window_orders, s.window_monetary, s.order_count, s.monetary_total, s.avg_interpurchase_days
                FROM customer_score s CROSS JOIN cfg
                WHERE s.order_count > 0 AND s.last_order_at >= CAST(:now AS timestamptz) - make_interval(days => cfg.wd)),
            q AS (
                SELECT count(*) AS n,
                       CAST(percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY rec) AS numeric[]) AS re,
                       CAST(percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY window_orders) AS numeric[]) AS fe,
                       CAST(percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY window_monetary) AS numeric[]) AS me
                FROM active),
            pop AS (
                SELECT CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY avg_interpurchase_days)
                            FILTER (WHERE order_count >= 2) AS numeric) AS median_cycle,
                       sum(monetary_total) / nullif(sum(order_count), 0) AS mean_order_value
                FROM active),
            qa AS (
                SELECT count(*) AS n,
                       CAST(percentile_cont(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY interactions_30d) AS numeric[]) AS ae
                FROM customer_score WHERE interactions_30d > 0),
            edges AS (
                SELECT q.n,
                       CASE WHEN cfg.binning = 'quantile' AND q.n >= cfg.min_active THEN q.re ELSE cfg.fre END AS re,
                       CASE WHEN cfg.binning = 'quantile' AND q.n >= cfg.min_active THEN q.fe ELSE cfg.ffe END AS fe,
                       CASE WHEN cfg.binning = 'quantile' AND q.n >= cfg.min_active THEN q.me ELSE cfg.fme END AS me,
                       CASE WHEN cfg.binning = 'quantile' AND qa.n >= cfg.min_active THEN qa.ae ELSE cfg.fae END AS ae,
                       cfg.tier_mode = 'shares' AND q.n >= cfg.min_active AS by_share,
                       ceil(q.n * cfg.sa) AS ka, ceil(q.n * (cfg.sa + cfg.sb)) AS kb, ceil(q.n * (cfg.sa + cfg.sb + cfg.sc)) AS kc
                FROM cfg CROSS JOIN q CROSS JOIN qa),
            ranked AS (
                SELECT row_number() OVER (ORDER BY vs DESC, mo DESC) AS rn, vs, mo
                FROM (SELECT round((cfg.wr * (5 - bins_below(a.rec, e.re)) + cfg.wf * (1 + bins_below(a.window_orders, e.fe))
                                    + cfg.wm * (1 + bins_below(a.window_monetary, e.me))) / (cfg.wr + cfg.wf + cfg.wm), 2) AS vs,
                             a.window_monetary AS mo
                      FROM active a CROSS JOIN edges e CROSS JOIN cfg
                      WHERE e.by_share) x),
            cut AS (
                SELECT ARRAY[(SELECT vs FROM ranked WHERE rn = e.ka), (SELECT vs FROM ranked WHERE rn = e.kb),
                             (SELECT vs FROM ranked WHERE rn = e.kc)] AS ts,
                       ARRAY[(SELECT mo FROM ranked WHERE rn = e.ka), (SELECT mo FROM ranked WHERE rn = e.kb),
                             (SELECT mo FROM ranked WHERE rn = e.kc)] AS tm
                FROM edges e)
            INSERT INTO scoring_model (computed_at, config, active_customers, recency_edges, frequency_edges, monetary_edges,
                                       activity_edges, tier_min_scores, tier_min_monetary, median_cycle_days, mean_order_value)
            SELECT CAST(:now AS timestamptz), cfg.config, e.n, e.re, e.fe, e.me, e.ae,
                   CASE WHEN e.by_share THEN cut.ts ELSE cfg.thresholds END,
                   CASE WHEN e.by_share THEN cut.tm ELSE ARRAY[-1, -1, -1]::numeric[] END,
                   pop.median_cycle, pop.mean_order_value
            FROM cfg CROSS JOIN edges e CROSS JOIN cut CROSS JOIN pop
            RETURNING version""";

    private Model toModel(Object[] r) {
        return new Model(((Number) r[0]).longValue(), NativeSql.instant(r[1]), read((String) r[2], ScoringConfig.class),
                ((Number) r[3]).longValue(), decimals(r[4]), decimals(r[5]), decimals(r[6]), decimals(r[7]), decimals(r[8]),
                decimals(r[9]), (BigDecimal) r[10], (BigDecimal) r[11]);
    }

    /** A numeric[] column read as a JSON array; NULL elements stay null. */
    private List<BigDecimal> decimals(Object json) {
        return Arrays.asList(read((String) json, BigDecimal[].class));
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored scoring configuration is not readable", e);
        }
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
