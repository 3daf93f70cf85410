package io.custops.evaluation.messaging;

import java.util.List;
import java.util.Map;

import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;

/**
 * One statement per kind of fact, writing all of a run's rows at once. Facts keep their natural keys, so a resent order
 * or answer changes nothing; the order of the constants is the order a run is written in (a message before its stages).
 */
enum FactStatement {
    ORDER {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return NativeSql.insertRows("order_fact", List.of("customer_id", "order_id", "placed_at", "revenue", "currency", "channel"), rows,
                    "ON CONFLICT DO NOTHING")
                    .flatMap(x -> NativeSql.execute("""
                            INSERT INTO customer_dim (customer_id, first_order_at)
                            SELECT customer_id, min(placed_at) FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) r(customer_id uuid, placed_at timestamptz)
                            GROUP BY customer_id
                            ON CONFLICT (customer_id) DO UPDATE SET first_order_at = least(customer_dim.first_order_at, excluded.first_order_at)""",
                            Map.of("rows", NativeSql.json(rows))))
                    .replaceWithVoid();
        }
    },
    REFUND {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return insert("refund_fact", List.of("customer_id", "refund_id", "order_id", "refunded_at", "amount", "currency"), rows);
        }
    },
    INTERACTION {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return insert("interaction_fact", List.of("customer_id", "interaction_id", "interaction_type", "occurred_at"), rows);
        }
    },
    FEEDBACK {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return insert("feedback_fact", List.of("customer_id", "feedback_id", "kind", "score", "category", "submitted_at"), rows);
        }
    },
    COMPLAINT_RESOLVED {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return update("""
                    UPDATE feedback_fact f SET resolved_at = coalesce(f.resolved_at, r.at)
                    FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) r(customer_id uuid, id text, at timestamptz)
                    WHERE f.customer_id = r.customer_id AND f.feedback_id = r.id AND f.kind = 'complaint'""", rows);
        }
    },
    MESSAGE {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return insert("message_fact", List.of("message_id", "campaign_id", "customer_id", "channel", "sent_at", "cost", "cost_currency",
                    "budget_pool_id"), rows);
        }
    },
    DELIVERED {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return stage("delivered_at", rows);
        }
    },
    OPENED {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return stage("opened_at", rows);
        }
    },
    CLICKED {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return stage("clicked_at", rows);
        }
    },
    UNSUBSCRIBED {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return stage("unsubscribed_at", rows);
        }
    },
    CONVERTED {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return update("""
                    UPDATE message_fact m SET converted_at = r.at, conversion_revenue = r.revenue, conversion_currency = r.currency
                    FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) r(message_id uuid, at timestamptz, revenue numeric, currency text)
                    WHERE m.message_id = r.message_id AND m.converted_at IS NULL""", rows);
        }
    },
    POINTS {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return insert("points_fact", List.of("kind", "reference", "customer_id", "points", "occurred_at"), rows);
        }
    },
    REFERRAL {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return insert("referral_fact", List.of("referral_id", "stage", "referrer_id", "referee_id", "completed_at"), rows);
        }
    },
    REGISTERED {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return update("""
                    INSERT INTO customer_dim (customer_id, registered_at)
                    SELECT customer_id, min(at) FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) r(customer_id uuid, at timestamptz)
                    GROUP BY customer_id
                    ON CONFLICT (customer_id) DO UPDATE SET registered_at = least(customer_dim.registered_at, excluded.registered_at)""", rows);
        }
    },
    /** The latest scores of each customer in the run: current tier, stage and health (and the tier group it counts in). */
    SCORES {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            String latest = """
                    SELECT DISTINCT ON (customer_id) customer_id, tier, lifecycle_stage, health_index, at_risk, churn_risk
                    FROM ROWS FROM (jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb))
                        AS (customer_id uuid, tier text, lifecycle_stage text, health_index integer, at_risk boolean, churn_risk boolean))
                        WITH ORDINALITY AS r(customer_id, tier, lifecycle_stage, health_index, at_risk, churn_risk, n)
                    ORDER BY customer_id, n DESC""";
            return update("""
                    INSERT INTO customer_dim (customer_id, tier, lifecycle_stage, health_index, at_risk, churn_risk) %s
                    ON CONFLICT (customer_id) DO UPDATE SET tier = excluded.tier, lifecycle_stage = excluded.lifecycle_stage,
                        health_index = excluded.health_index, at_risk = excluded.at_risk, churn_risk = excluded.churn_risk""".formatted(latest), rows)
                    .flatMap(x -> update("""
                            DELETE FROM customer_dimension d USING (%s) s
                            WHERE d.customer_id = s.customer_id AND d.dim = 'tier' AND d.dim_value IS DISTINCT FROM s.tier""".formatted(latest), rows))
                    .flatMap(x -> update("""
                            INSERT INTO customer_dimension (customer_id, dim, dim_value)
                            SELECT customer_id, 'tier', tier FROM (%s) s WHERE tier IS NOT NULL ON CONFLICT DO NOTHING""".formatted(latest), rows));
        }
    },
    ASSIGNMENT {
        @Override
        Uni<Void> write(List<Map<String, Object>> rows) {
            return update("""
                    INSERT INTO experiment (id, step, kind, first_assigned_at, last_assigned_at)
                    SELECT experiment_id, step, min(kind), min(assigned_at), max(assigned_at)
                    FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) r(experiment_id uuid, step text, kind text, assigned_at timestamptz)
                    GROUP BY experiment_id, step
                    ON CONFLICT (id, step) DO UPDATE SET first_assigned_at = least(experiment.first_assigned_at, excluded.first_assigned_at),
                        last_assigned_at = greatest(experiment.last_assigned_at, excluded.last_assigned_at)""", rows)
                    .flatMap(x -> insert("experiment_assignment", List.of("experiment_id", "step", "customer_id", "variant", "planned_share",
                            "assigned_at"), rows));
        }
    };

    abstract Uni<Void> write(List<Map<String, Object>> rows);

    private static Uni<Void> insert(String table, List<String> columns, List<Map<String, Object>> rows) {
        return NativeSql.insertRows(table, columns, rows, "ON CONFLICT DO NOTHING").replaceWithVoid();
    }

    private static Uni<Void> update(String sql, List<Map<String, Object>> rows) {
        return NativeSql.execute(sql, Map.of("rows", NativeSql.json(rows))).replaceWithVoid();
    }

    /** A funnel stage's first time; a stage seen before its message is lost only if the message never comes (it always precedes). */
    private static Uni<Void> stage(String column, List<Map<String, Object>> rows) {
        return update("""
                UPDATE message_fact m SET %1$s = least(m.%1$s, r.at)
                FROM (SELECT message_id, min(at) AS at FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) r(message_id uuid, at timestamptz)
                      GROUP BY message_id) r
                WHERE m.message_id = r.message_id""".formatted(column), rows);
    }
}
