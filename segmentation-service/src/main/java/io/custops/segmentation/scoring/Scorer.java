package io.custops.segmentation.scoring;

import java.time.Instant;
import java.util.Map;

import io.custops.events.EventType;
import io.custops.platform.outbox.EventSource;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Scores customers from their rollups under the latest scoring model, set-based, in the current transaction, and
 * announces what changed through the outbox in the same statement: {@code LifecycleStageChanged} (and a history
 * row), {@code TierChanged}, {@code ScoresUpdated} and {@code ChurnRiskRaised}. The same statement serves one
 * event batch's customers and a whole-base recompute, so both follow exactly the same rules.
 * <p>
 * The rules (documented for users in the API description of {@code GET /api/scores/{customerId}}):
 * <ul>
 * <li>R, F, M 1–5: recency is whole days since the last order, scored 5 − (edges below it); frequency and
 * monetary are the window's orders and net spend, scored 1 + (edges below it). Customers without orders have no
 * R, F, M, value score or tier.</li>
 * <li>Value score: the weighted mean of R, F and M. Tier: A, B or C when (value score, window monetary) is at or
 * above that tier's cut-off pair, else D.</li>
 * <li>Value ladder: prospect (no order), champion (R, F, M all ≥ 4), loyal (F ≥ 4 and R ≥ 3), active (two or more
 * orders), new (one order).</li>
 * <li>Health 0–100: the weighted mean of activity (100 at a touch today, falling linearly to 0 at the horizon),
 * purchase frequency (two or more orders: 100 × min(1, own cycle ÷ days since last order); one order: 50 ×
 * (1 − days since ÷ window); none: 0) and depth (half volume: interactions in 30 days ÷ target; half breadth:
 * distinct types ÷ target; each capped at 1). At risk below the configured threshold.</li>
 * <li>Churn risk: purchase gap past the own cycle × factor (and a minimum number of days); no order or interaction for the configured days;
 * interactions of the last 30 days below the ratio of the monthly average of the 60 days before.</li>
 * <li>Grades: value = rounded value score (1 without orders); activity = 1 + activity edges below the 30-day
 * interactions; potential = rounded mean of activity grade and health band (1 + health ÷ 20, at most 5).
 * Strategy: value high = tier A or B, potential high = grade at or above the configured level; invest (high,
 * high), retain (high, low), nurture (low, high), cost-control (low, low).</li>
 * <li>Lifecycle stage: churn-winback on churn risk; else repurchase (two or more orders), conversion (one),
 * retention (interactions on two or more days in 30), activation (any interaction), acquisition.</li>
 * <li>Lifetime value: historic = the net monetary total; predicted 12 months = P(alive) × 365 ÷ cycle × order
 * value, where the cycle is the own average interval (the population median for one-order customers), P(alive) =
 * exp(−max(0, days since the last order − cycle) ÷ cycle), and the order value is the own average blended with
 * {@code ltvPriorOrders} orders at the population mean (credibility weighting).</li>
 * </ul>
 * ScoresUpdated is published when a discrete score changes or the health index moved by the configured step
 * since it was last announced, so a daily drift of one point is not an event for every customer.
 */
@ApplicationScoped
public class Scorer {
    private final EventSource source;

    public Scorer(EventSource source) {
        this.source = source;
    }

    /** Scores the customers in scope; returns how many rows changed. */
    public Uni<Integer> score(CustomerScope scope, Instant now) {
        if (scope.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Map<String, Object> params = NativeSql.with(scope.params(), "now", now.atOffset(java.time.ZoneOffset.UTC), "nowText", now.toString(), "source", source.uri(),
                "stageType", EventType.LIFECYCLE_STAGE_CHANGED.type(), "tierType", EventType.TIER_CHANGED.type(),
                "scoresType", EventType.SCORES_UPDATED.type(), "churnType", EventType.CHURN_RISK_RAISED.type(),
                "topic", EventType.SCORES_UPDATED.topic());
        return NativeSql.list(SCORE.formatted(scope.on("s")), Object.class, params).map(rows -> ((Number) rows.get(0)).intValue());
    }

    /** Each derived step is MATERIALIZED: inlined, PostgreSQL would repeat the scoring expressions in every use. */
    private static final String SCORE = """
            WITH m AS (
                SELECT version AS model_v, recency_edges AS re, frequency_edges AS fe, monetary_edges AS me, activity_edges AS ae,
                       tier_min_scores AS ts, tier_min_monetary AS tm,
                       CAST(config->>'windowDays' AS numeric) AS window_days,
                       CAST(config->'weights'->>'recency' AS numeric) AS wr,
                       CAST(config->'weights'->>'frequency' AS numeric) AS wf,
                       CAST(config->'weights'->>'monetary' AS numeric) AS wm,
                       CAST(config->'health'->'weights'->>'activity' AS numeric) AS ha,
                       CAST(config->'health'->'weights'->>'frequency' AS numeric) AS hf,
                       CAST(config->'health'->'weights'->>'depth' AS numeric) AS hd,
                       CAST(config->'health'->>'activityHorizonDays' AS numeric) AS horizon,
                       CAST(config->'health'->>'depthInteractions' AS numeric) AS depth_n,
                       CAST(config->'health'->>'depthTypes' AS numeric) AS depth_t,
                       CAST(config->'health'->>'atRiskBelow' AS integer) AS at_risk_below,
                       CAST(config->'churn'->>'purchaseGapFactor' AS numeric) AS gap_factor,
                       CAST(config->'churn'->>'purchaseGapMinDays' AS integer) AS gap_min_days,
                       CAST(config->'churn'->>'inactiveDays' AS integer) AS inactive_days,
                       CAST(config->'churn'->>'dropRatio' AS numeric) AS drop_ratio,
                       CAST(config->'churn'->>'dropMinimumMonthly' AS numeric) AS drop_min,
                       CAST(config->>'highPotentialFrom' AS integer) AS high_potential,
                       CAST(config->>'healthAnnounceStep' AS integer) AS health_step,
                       coalesce(CAST(config->>'ltvPriorOrders' AS numeric), 0) AS prior_orders,
                       coalesce(median_cycle_days, 30) AS median_cycle, mean_order_value
                FROM scoring_model ORDER BY version DESC LIMIT 1),
            cur AS (
                SELECT s.customer_id, s.order_count, s.last_order_at, s.last_interaction_at, s.window_orders,
                       s.window_monetary, s.interactions_30d, s.interactions_90d, s.interaction_types_30d,
                       s.avg_interpurchase_days, s.active_days_30d, s.scored_at, s.r_score, s.f_score, s.m_score,
                       s.value_score, s.tier, s.value_level, s.value_grade, s.activity_grade, s.potential_grade,
                       s.lifecycle_stage, s.at_risk, s.churn_risk, s.published_health, s.monetary_total
                FROM customer_score s WHERE %1$s ORDER BY s.customer_id FOR UPDATE),
            d AS MATERIALIZED (
                SELECT c.*,
                       floor(extract(epoch FROM CAST(:now AS timestamptz) - c.last_order_at) / 86400)::integer AS rec,
                       floor(extract(epoch FROM CAST(:now AS timestamptz)
                           - greatest(c.last_interaction_at, c.last_order_at)) / 86400)::integer AS since_touch,
                       (c.interactions_90d - c.interactions_30d) / 2.0 AS prior_monthly,
                       CASE WHEN c.order_count >= 2 AND c.avg_interpurchase_days > 0 THEN c.avg_interpurchase_days
                            ELSE m.median_cycle END AS cycle
                FROM cur c CROSS JOIN m),
            rfm AS MATERIALIZED (
                SELECT d.*,
                       CASE WHEN order_count > 0 THEN 5 - bins_below(rec, re) END AS r,
                       CASE WHEN order_count > 0 THEN 1 + bins_below(window_orders, fe) END AS f,
                       CASE WHEN order_count > 0 THEN 1 + bins_below(window_monetary, me) END AS mo,
                       1 + bins_below(interactions_30d, ae) AS act,
                       CASE WHEN since_touch IS NULL THEN 0
                            ELSE round(100 * greatest(0, 1 - since_touch / horizon)) END AS h_act,
                       CASE WHEN order_count >= 2 AND avg_interpurchase_days > 0
                                THEN round(100 * least(1, avg_interpurchase_days / greatest(rec, 1)))
                            WHEN order_count = 1 THEN round(50 * greatest(0, 1 - rec / window_days))
                            ELSE 0 END AS h_freq,
                       round(100 * (0.5 * least(1, interactions_30d / depth_n) + 0.5 * least(1, interaction_types_30d / depth_t))) AS h_depth,
                       array_remove(ARRAY[
                           CASE WHEN order_count >= 2 AND avg_interpurchase_days > 0 AND rec > greatest(gap_factor * avg_interpurchase_days, gap_min_days)
                                THEN 'purchase-gap' END,
                           CASE WHEN since_touch > inactive_days THEN 'inactive' END,
                           CASE WHEN prior_monthly >= drop_min AND interactions_30d < drop_ratio * prior_monthly
                                THEN 'interaction-drop' END], NULL) AS reasons,
                       CASE WHEN order_count = 0 THEN 0
                            ELSE round(exp(-least(50, greatest(0, rec - cycle) / cycle)), 4) END AS alive,
                       (monetary_total + prior_orders * coalesce(mean_order_value, monetary_total / greatest(order_count, 1)))
                           / greatest(order_count + prior_orders, 1) AS aov
                FROM d CROSS JOIN m),
            v AS MATERIALIZED (
                SELECT rfm.*,
                       round((wr * r + wf * f + wm * mo) / (wr + wf + wm), 2) AS vs,
                       round((ha * h_act + hf * h_freq + hd * h_depth) / nullif(ha + hf + hd, 0))::integer AS health
                FROM rfm CROSS JOIN m),
            t AS MATERIALIZED (
                SELECT v.*,
                       CASE WHEN order_count = 0 THEN NULL
                            WHEN (vs, window_monetary) >= (ts[1], tm[1]) THEN 'A'
                            WHEN (vs, window_monetary) >= (ts[2], tm[2]) THEN 'B'
                            WHEN (vs, window_monetary) >= (ts[3], tm[3]) THEN 'C'
                            ELSE 'D' END AS new_tier,
                       CASE WHEN order_count = 0 THEN 'prospect'
                            WHEN r >= 4 AND f >= 4 AND mo >= 4 THEN 'champion'
                            WHEN f >= 4 AND r >= 3 THEN 'loyal'
                            WHEN order_count >= 2 THEN 'active'
                            ELSE 'new' END AS level,
                       coalesce(round(vs)::integer, 1) AS vg,
                       round((act + least(5, 1 + coalesce(health, 0) / 20)) / 2.0)::integer AS pg,
                       CASE WHEN cardinality(reasons) > 0 THEN 'CHURN_WINBACK'
                            WHEN order_count >= 2 THEN 'REPURCHASE'
                            WHEN order_count = 1 THEN 'CONVERSION'
                            WHEN active_days_30d >= 2 THEN 'RETENTION'
                            WHEN last_interaction_at IS NOT NULL THEN 'ACTIVATION'
                            ELSE 'ACQUISITION' END AS stage,
                       CASE WHEN cardinality(reasons) > 0 THEN 'churn risk: ' || array_to_string(reasons, ', ')
                            WHEN order_count >= 2 THEN 'repeat purchase'
                            WHEN order_count = 1 THEN 'first purchase'
                            WHEN active_days_30d >= 2 THEN 'engaged on two or more days in 30'
                            WHEN last_interaction_at IS NOT NULL THEN 'first interaction'
                            ELSE 'registered, no activity yet' END AS stage_reason,
                       scored_at IS NULL AS first_scoring
                FROM v CROSS JOIN m),
            n AS MATERIALIZED (
                SELECT t.*, m.model_v,
                       CASE WHEN new_tier IN ('A', 'B') AND pg >= high_potential THEN 'invest'
                            WHEN new_tier IN ('A', 'B') THEN 'retain'
                            WHEN pg >= high_potential THEN 'nurture'
                            ELSE 'cost-control' END AS new_strategy,
                       coalesce(health, 0) < at_risk_below AS new_at_risk,
                       first_scoring OR (r_score, f_score, m_score, value_score, tier, value_level, value_grade, activity_grade,
                           potential_grade, lifecycle_stage, at_risk, churn_risk)
                           IS DISTINCT FROM (r, f, mo, vs, new_tier, level, vg, act, pg, stage,
                           coalesce(health, 0) < at_risk_below, cardinality(reasons) > 0)
                           OR abs(coalesce(health, 0) - coalesce(published_health, -1000)) >= health_step AS announce
                FROM t CROSS JOIN m),
            changed AS (
                UPDATE customer_score s SET
                    recency_days = n.rec, r_score = n.r, f_score = n.f, m_score = n.mo, value_score = n.vs,
                    tier = n.new_tier, value_level = n.level, value_grade = n.vg, activity_grade = n.act,
                    potential_grade = n.pg, strategy = n.new_strategy, health_activity = n.h_act,
                    health_frequency = n.h_freq, health_depth = n.h_depth, health_index = coalesce(n.health, 0),
                    at_risk = n.new_at_risk, churn_risk = cardinality(n.reasons) > 0, churn_reasons = n.reasons,
                    lifecycle_stage = n.stage, model_version = n.model_v, p_alive = n.alive,
                    ltv_predicted_12m = CASE WHEN n.order_count = 0 THEN 0 ELSE round(n.aov * n.alive * 365 / n.cycle, 2) END, scored_at = CAST(:now AS timestamptz),
                    published_health = CASE WHEN n.announce THEN coalesce(n.health, 0) ELSE s.published_health END,
                    version = s.version + 1, updated_at = CAST(:now AS timestamptz)
                FROM n
                WHERE s.customer_id = n.customer_id AND %1$s AND (n.announce
                    OR (s.recency_days, s.health_index, s.health_activity, s.health_frequency, s.health_depth, s.strategy,
                        s.churn_reasons, s.model_version, s.p_alive)
                       IS DISTINCT FROM (n.rec, coalesce(n.health, 0), n.h_act, n.h_freq, n.h_depth, n.new_strategy,
                        n.reasons, n.model_v, n.alive))
                RETURNING n.*),
            history AS (
                INSERT INTO lifecycle_history (customer_id, from_stage, to_stage, changed_at, reason)
                SELECT customer_id, CASE WHEN first_scoring THEN NULL ELSE lifecycle_stage END, stage,
                       CAST(:now AS timestamptz), stage_reason
                FROM changed WHERE first_scoring OR lifecycle_stage <> stage ORDER BY customer_id),
            events AS (
                INSERT INTO outbox_event (event_id, type, topic, subject, source, occurred_at, data)
                SELECT gen_random_uuid(), e.type, :topic, c.customer_id::text, :source, CAST(:now AS timestamptz), e.data
                FROM changed c CROSS JOIN LATERAL (VALUES
                    (1, CAST(:stageType AS text), CASE WHEN c.first_scoring OR c.lifecycle_stage <> c.stage THEN jsonb_build_object(
                        'customerId', c.customer_id,
                        'from', CASE WHEN c.first_scoring THEN NULL ELSE lower(replace(c.lifecycle_stage, '_', '-')) END,
                        'to', lower(replace(c.stage, '_', '-')), 'changedAt', CAST(:nowText AS text), 'reason', c.stage_reason)::text END),
                    (2, CAST(:tierType AS text), CASE WHEN c.tier IS DISTINCT FROM c.new_tier AND NOT (c.first_scoring AND c.new_tier IS NULL)
                        THEN jsonb_build_object('customerId', c.customer_id, 'from', c.tier, 'to', c.new_tier,
                        'valueScore', c.vs, 'changedAt', CAST(:nowText AS text), 'modelVersion', c.model_v,
                        'reason', CASE WHEN c.new_tier IS NULL THEN 'no orders'
                                       ELSE format('value score %%1$s, window monetary %%2$s', c.vs, c.window_monetary) END)::text END),
                    (3, CAST(:scoresType AS text), CASE WHEN c.announce THEN jsonb_build_object('customerId', c.customer_id,
                        'recencyScore', c.r, 'frequencyScore', c.f, 'monetaryScore', c.mo, 'valueScore', c.vs,
                        'tier', c.new_tier, 'valueLevel', c.level, 'valueGrade', c.vg, 'activityGrade', c.act,
                        'potentialGrade', c.pg, 'strategy', c.new_strategy, 'healthIndex', coalesce(c.health, 0),
                        'atRisk', c.new_at_risk, 'churnRisk', cardinality(c.reasons) > 0,
                        'lifecycleStage', lower(replace(c.stage, '_', '-')), 'modelVersion', c.model_v,
                        'scoredAt', CAST(:nowText AS text))::text END),
                    (4, CAST(:churnType AS text), CASE WHEN cardinality(c.reasons) > 0 AND NOT c.churn_risk THEN jsonb_build_object(
                        'customerId', c.customer_id, 'reasons', to_jsonb(c.reasons), 'healthIndex', coalesce(c.health, 0),
                        'daysSinceLastOrder', c.rec, 'daysSinceLastTouch', c.since_touch, 'raisedAt', CAST(:nowText AS text))::text END)
                    ) AS e(ord, type, data)
                WHERE e.data IS NOT NULL ORDER BY c.customer_id, e.ord)
            SELECT count(*) FROM changed""";
}
