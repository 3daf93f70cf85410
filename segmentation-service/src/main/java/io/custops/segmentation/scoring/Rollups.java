package io.custops.segmentation.scoring;

import java.time.Instant;

import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Recomputes customers' rollups from their facts, set-based, in the current transaction. A rollup is a pure
 * function of the facts (and the clock, for the windows), so it comes out the same whatever order or how many
 * times the events arrived. Customers in scope without a row get one.
 * <p>
 * Rules: an order refunded in full (its refunds add up to its amount) no longer counts as an order; monetary values
 * are in the customer's home currency (that of the first order; orders in other currencies count but add no value;
 * orders are summed per currency first, so choosing the home currency sorts currencies, not orders)
 * and net of refunds; the window of the scoring configuration bounds {@code window_orders} and
 * {@code window_monetary}; interactions count over the last 7, 30 and 90 days; the latest NPS and CSAT are the last
 * submitted; a complaint is open until a resolution for it arrives.
 */
@ApplicationScoped
public class Rollups {

    /** Refreshes the rollups of the customers in scope; returns how many rows it wrote. */
    public Uni<Integer> refresh(CustomerScope scope, Instant now) {
        if (scope.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return NativeSql.execute(REFRESH.formatted(scope.customers(), scope.on("f"), scope.on("r"), scope.on("i"), scope.on("b")),
                NativeSql.with(scope.params(), "now", now.atOffset(java.time.ZoneOffset.UTC)));
    }

    private static final String REFRESH = """
            WITH scope AS (%1$s),
            cfg AS (SELECT CAST(:now AS timestamptz) AS now,
                           CAST(:now AS timestamptz) - make_interval(days => CAST(config->>'windowDays' AS integer)) AS window_start
                    FROM scoring_config WHERE id = 1),
            refunded AS (SELECT r.customer_id, r.order_id, sum(r.amount) AS amount FROM refund_fact r WHERE %3$s GROUP BY 1, 2),
            orders AS (
                SELECT f.customer_id, f.placed_at, f.currency,
                       f.amount - least(coalesce(rf.amount, 0), f.amount) AS net,
                       rf.amount IS NOT NULL AND rf.amount >= f.amount AS refunded_in_full
                FROM order_fact f LEFT JOIN refunded rf USING (customer_id, order_id) WHERE %2$s),
            per_currency AS (
                SELECT customer_id, currency, min(placed_at) AS first_any,
                       count(*) FILTER (WHERE NOT refunded_in_full) AS n,
                       min(placed_at) FILTER (WHERE NOT refunded_in_full) AS first_at,
                       max(placed_at) FILTER (WHERE NOT refunded_in_full) AS last_at,
                       count(*) FILTER (WHERE NOT refunded_in_full AND placed_at >= cfg.window_start) AS window_n,
                       coalesce(sum(net), 0) AS net,
                       coalesce(sum(net) FILTER (WHERE placed_at >= cfg.window_start), 0) AS window_net
                FROM orders CROSS JOIN cfg GROUP BY customer_id, currency),
            totals AS (
                SELECT customer_id, (array_agg(currency ORDER BY first_any, currency))[1] AS currency, sum(n) AS order_count,
                       min(first_at) AS first_at, max(last_at) AS last_at, sum(window_n) AS window_orders
                FROM per_currency GROUP BY customer_id),
            o AS (
                SELECT t.*, coalesce(h.net, 0) AS monetary, coalesce(h.window_net, 0) AS window_monetary
                FROM totals t LEFT JOIN per_currency h ON h.customer_id = t.customer_id AND h.currency = t.currency),
            r AS (
                SELECT r.customer_id, count(*) AS refund_count,
                       coalesce(sum(r.amount) FILTER (WHERE o.currency IS NULL OR r.currency = o.currency), 0) AS refund_total
                FROM refund_fact r LEFT JOIN o USING (customer_id) WHERE %3$s GROUP BY r.customer_id),
            i AS (
                SELECT i.customer_id,
                       count(*) FILTER (WHERE i.occurred_at >= cfg.now - interval '7 days') AS i7,
                       count(*) FILTER (WHERE i.occurred_at >= cfg.now - interval '30 days') AS i30,
                       count(*) FILTER (WHERE i.occurred_at >= cfg.now - interval '90 days') AS i90,
                       count(DISTINCT i.interaction_type) FILTER (WHERE i.occurred_at >= cfg.now - interval '30 days') AS types30,
                       count(DISTINCT date_trunc('day', i.occurred_at, 'UTC'))
                           FILTER (WHERE i.occurred_at >= cfg.now - interval '30 days') AS days30,
                       max(i.occurred_at) AS last_at,
                       max(i.occurred_at) FILTER (WHERE i.interaction_type = 'login') AS last_login
                FROM interaction_fact i CROSS JOIN cfg WHERE %4$s GROUP BY i.customer_id),
            it AS (
                SELECT customer_id, jsonb_object_agg(interaction_type,
                           jsonb_build_object('7d', c7, '30d', c30, '90d', c90)) AS by_type
                FROM (SELECT i.customer_id, i.interaction_type,
                             count(*) FILTER (WHERE i.occurred_at >= cfg.now - interval '7 days') AS c7,
                             count(*) FILTER (WHERE i.occurred_at >= cfg.now - interval '30 days') AS c30,
                             count(*) AS c90
                      FROM interaction_fact i CROSS JOIN cfg
                      WHERE %4$s AND i.occurred_at >= cfg.now - interval '90 days' GROUP BY 1, 2) t
                GROUP BY customer_id),
            fb AS (
                SELECT b.customer_id,
                       (array_agg(b.score ORDER BY b.submitted_at DESC, b.feedback_id) FILTER (WHERE b.kind = 'nps'))[1] AS nps,
                       (array_agg(b.score ORDER BY b.submitted_at DESC, b.feedback_id) FILTER (WHERE b.kind = 'csat'))[1] AS csat,
                       count(*) FILTER (WHERE b.kind = 'complaint' AND NOT EXISTS (SELECT 1 FROM complaint_resolution c
                           WHERE c.customer_id = b.customer_id AND c.complaint_id = b.feedback_id)) AS open_complaints
                FROM feedback_fact b WHERE %5$s GROUP BY b.customer_id)
            INSERT INTO customer_score AS s (customer_id, version, lifecycle_stage, updated_at, order_count, monetary_total,
                currency, first_order_at, last_order_at, refund_count, refund_total, avg_interpurchase_days, window_orders,
                window_monetary, interactions_7d, interactions_30d, interactions_90d, interaction_types_30d, active_days_30d,
                interactions_by_type, last_interaction_at, last_login_at, latest_nps, latest_csat, open_complaints, rollup_at)
            SELECT scope.customer_id, 0, 'ACQUISITION', cfg.now, coalesce(o.order_count, 0), coalesce(o.monetary, 0),
                   o.currency, o.first_at, o.last_at, coalesce(r.refund_count, 0), coalesce(r.refund_total, 0),
                   CASE WHEN o.order_count >= 2
                        THEN round(CAST(extract(epoch FROM o.last_at - o.first_at) / 86400 / (o.order_count - 1) AS numeric), 2) END,
                   coalesce(o.window_orders, 0), coalesce(o.window_monetary, 0), coalesce(i.i7, 0), coalesce(i.i30, 0),
                   coalesce(i.i90, 0), coalesce(i.types30, 0), coalesce(i.days30, 0), coalesce(it.by_type, '{}'),
                   i.last_at, i.last_login, fb.nps, fb.csat, coalesce(fb.open_complaints, 0), cfg.now
            FROM scope CROSS JOIN cfg
            LEFT JOIN o USING (customer_id) LEFT JOIN r USING (customer_id) LEFT JOIN i USING (customer_id)
            LEFT JOIN it USING (customer_id) LEFT JOIN fb USING (customer_id)
            WHERE NOT EXISTS (SELECT 1 FROM erased_customer e WHERE e.customer_id = scope.customer_id)
            ORDER BY scope.customer_id
            ON CONFLICT (customer_id) DO UPDATE SET
                version = s.version + 1, updated_at = EXCLUDED.updated_at, order_count = EXCLUDED.order_count,
                monetary_total = EXCLUDED.monetary_total, currency = EXCLUDED.currency,
                first_order_at = EXCLUDED.first_order_at, last_order_at = EXCLUDED.last_order_at,
                refund_count = EXCLUDED.refund_count, refund_total = EXCLUDED.refund_total,
                avg_interpurchase_days = EXCLUDED.avg_interpurchase_days, window_orders = EXCLUDED.window_orders,
                window_monetary = EXCLUDED.window_monetary, interactions_7d = EXCLUDED.interactions_7d,
                interactions_30d = EXCLUDED.interactions_30d, interactions_90d = EXCLUDED.interactions_90d,
                interaction_types_30d = EXCLUDED.interaction_types_30d, active_days_30d = EXCLUDED.active_days_30d,
                interactions_by_type = EXCLUDED.interactions_by_type,
                last_interaction_at = greatest(s.last_interaction_at, EXCLUDED.last_interaction_at),
                last_login_at = greatest(s.last_login_at, EXCLUDED.last_login_at),
                latest_nps = EXCLUDED.latest_nps, latest_csat = EXCLUDED.latest_csat,
                open_complaints = EXCLUDED.open_complaints, rollup_at = EXCLUDED.rollup_at""";
}
