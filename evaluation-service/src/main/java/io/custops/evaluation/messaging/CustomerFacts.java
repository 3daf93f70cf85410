package io.custops.evaluation.messaging;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;

/** The facts about one customer that depend on what came before: completeness, moves, memberships, merges, erasures. */
final class CustomerFacts {
    /** The fact tables keyed by customer, with the columns (besides customer_id) that make a row unique. */
    private static final List<String[]> KEYED = List.of(new String[] { "order_fact", "order_id" }, new String[] { "refund_fact", "refund_id" },
            new String[] { "interaction_fact", "interaction_id" }, new String[] { "feedback_fact", "feedback_id" },
            new String[] { "state_change_fact", "dimension", "changed_at", "to_state" });
    /** The fact tables whose key does not involve the customer. */
    private static final List<String> UNKEYED = List.of("points_fact", "message_fact", "completeness_change");

    private CustomerFacts() {
    }

    /** A profile's new completeness, kept as a change so that the average at any past date can be summed. */
    static Uni<Void> completeness(UUID customer, BigDecimal value, Instant at) {
        Map<String, Object> p = NativeSql.params("customer", customer, "value", value, "at", NativeSql.utc(at));
        return NativeSql.execute("""
                INSERT INTO completeness_change (customer_id, changed_at, delta, first)
                SELECT :customer, :at, :value - coalesce(d.completeness, 0), CASE WHEN d.completeness IS NULL THEN 1 ELSE 0 END
                FROM (SELECT 1) one LEFT JOIN customer_dim d ON d.customer_id = :customer
                WHERE d.completeness IS DISTINCT FROM :value""", p)
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO customer_dim (customer_id, completeness) VALUES (:customer, :value)
                        ON CONFLICT (customer_id) DO UPDATE SET completeness = excluded.completeness""", p))
                .replaceWithVoid();
    }

    /** A tier or lifecycle-stage move (the migration matrices' fact); the current tier also follows ScoresUpdated. */
    static Uni<Void> moved(UUID customer, String dimension, String from, String to, Instant at) {
        Map<String, Object> p = NativeSql.params("customer", customer, "dimension", dimension, "from", from, "to", to, "at", NativeSql.utc(at));
        String column = "tier".equals(dimension) ? "tier" : "lifecycle_stage";
        Uni<Integer> current = NativeSql.execute("""
                INSERT INTO customer_dim (customer_id, %1$s) VALUES (:customer, :to)
                ON CONFLICT (customer_id) DO UPDATE SET %1$s = excluded.%1$s""".formatted(column), p);
        Uni<Void> group = !"tier".equals(dimension) ? Uni.createFrom().voidItem()
                : NativeSql.execute("DELETE FROM customer_dimension WHERE customer_id = :customer AND dim = 'tier'", p).flatMap(x -> entered(customer, "tier", to));
        return NativeSql.execute("""
                INSERT INTO state_change_fact (customer_id, dimension, from_state, to_state, changed_at)
                VALUES (:customer, :dimension, :from, :to, :at) ON CONFLICT DO NOTHING""", p)
                .flatMap(x -> current).flatMap(x -> group);
    }

    static Uni<Void> entered(UUID customer, String dim, String value) {
        return NativeSql.execute("INSERT INTO customer_dimension (customer_id, dim, dim_value) VALUES (:customer, :dim, :value) ON CONFLICT DO NOTHING",
                Map.of("customer", customer, "dim", dim, "value", value)).replaceWithVoid();
    }

    static Uni<Void> exited(UUID customer, String dim, String value) {
        return NativeSql.execute("DELETE FROM customer_dimension WHERE customer_id = :customer AND dim = :dim AND dim_value = :value",
                Map.of("customer", customer, "dim", dim, "value", value)).replaceWithVoid();
    }

    static Uni<Void> segmentName(UUID segment, String name) {
        return name == null ? Uni.createFrom().voidItem() : NativeSql.execute("""
                INSERT INTO segment_name (segment_id, name) VALUES (:id, :name) ON CONFLICT (segment_id) DO UPDATE SET name = excluded.name""",
                Map.of("id", segment, "name", name)).replaceWithVoid();
    }

    /** The first day a customer's facts count on (a merge or erasure changes the KPIs from there). */
    static Uni<Optional<LocalDate>> earliestDay(UUID customer) {
        return NativeSql.list("""
                SELECT CAST(least(min(registered_at), min(first_order_at),
                    (SELECT min(occurred_at) FROM interaction_fact WHERE customer_id = :customer),
                    (SELECT min(submitted_at) FROM feedback_fact WHERE customer_id = :customer),
                    (SELECT min(sent_at) FROM message_fact WHERE customer_id = :customer)) AT TIME ZONE 'UTC' AS date)
                FROM customer_dim WHERE customer_id = :customer""", LocalDate.class, Map.of("customer", customer))
                .map(days -> days.stream().filter(java.util.Objects::nonNull).findFirst());
    }

    /**
     * The merged customer's facts become the survivor's (a fact both hold is kept once); its completeness leaves the
     * average; the survivor keeps the earlier registration and first order; its groups are the survivor's own.
     */
    static Uni<Void> merged(UUID survivor, UUID merged, Instant at) {
        Map<String, Object> ids = NativeSql.params("survivor", survivor, "merged", merged, "at", NativeSql.utc(at));
        Uni<Integer> chain = withdrawCompleteness(ids);
        for (String[] keyed : KEYED) {
            String same = java.util.Arrays.stream(keyed).skip(1).map(c -> "s." + c + " = m." + c).reduce((a, b) -> a + " AND " + b).orElseThrow();
            chain = chain.flatMap(x -> NativeSql.execute("""
                    DELETE FROM %1$s m WHERE m.customer_id = :merged AND EXISTS (SELECT 1 FROM %1$s s WHERE s.customer_id = :survivor AND %2$s)"""
                    .formatted(keyed[0], same), ids))
                    .flatMap(x -> NativeSql.execute("UPDATE %s SET customer_id = :survivor WHERE customer_id = :merged".formatted(keyed[0]), ids));
        }
        for (String table : UNKEYED) {
            chain = chain.flatMap(x -> NativeSql.execute("UPDATE %s SET customer_id = :survivor WHERE customer_id = :merged".formatted(table), ids));
        }
        return chain
                .flatMap(x -> NativeSql.execute("UPDATE referral_fact SET referrer_id = :survivor WHERE referrer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("UPDATE referral_fact SET referee_id = :survivor WHERE referee_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("""
                        DELETE FROM experiment_assignment m WHERE m.customer_id = :merged AND EXISTS (SELECT 1 FROM experiment_assignment s
                            WHERE s.customer_id = :survivor AND s.experiment_id = m.experiment_id AND s.step = m.step)""", ids))
                .flatMap(x -> NativeSql.execute("UPDATE experiment_assignment SET customer_id = :survivor WHERE customer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO customer_dim (customer_id, registered_at, first_order_at)
                        SELECT :survivor, registered_at, first_order_at FROM customer_dim WHERE customer_id = :merged
                        ON CONFLICT (customer_id) DO UPDATE SET registered_at = least(customer_dim.registered_at, excluded.registered_at),
                            first_order_at = least(customer_dim.first_order_at, excluded.first_order_at)""", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM customer_dimension WHERE customer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM customer_dim WHERE customer_id = :merged", ids)).replaceWithVoid();
    }

    /** The KPIs keep an erased customer's facts under one random id that leads nowhere; its current state is deleted. */
    static Uni<Void> erased(UUID customer, Instant at) {
        Map<String, Object> ids = NativeSql.params("merged", customer, "anonymous", UUID.randomUUID(), "at", NativeSql.utc(at));
        Uni<Integer> chain = withdrawCompleteness(ids);
        for (String[] keyed : KEYED) {
            chain = chain.flatMap(x -> NativeSql.execute("UPDATE %s SET customer_id = :anonymous WHERE customer_id = :merged".formatted(keyed[0]), ids));
        }
        for (String table : UNKEYED) {
            chain = chain.flatMap(x -> NativeSql.execute("UPDATE %s SET customer_id = :anonymous WHERE customer_id = :merged".formatted(table), ids));
        }
        return chain
                .flatMap(x -> NativeSql.execute("UPDATE order_fact SET order_id = 'erased:' || md5(order_id) WHERE customer_id = :anonymous", ids))
                .flatMap(x -> NativeSql.execute("UPDATE referral_fact SET referrer_id = :anonymous WHERE referrer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("UPDATE referral_fact SET referee_id = :anonymous WHERE referee_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("UPDATE experiment_assignment SET customer_id = :anonymous WHERE customer_id = :merged", ids))
                // still a customer of its periods (registration, first order), no longer of any group
                .flatMap(x -> NativeSql.execute("""
                        UPDATE customer_dim SET customer_id = :anonymous, completeness = NULL, tier = NULL, lifecycle_stage = NULL,
                            health_index = NULL, at_risk = NULL, churn_risk = NULL WHERE customer_id = :merged""", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM customer_dimension WHERE customer_id = :merged", ids)).replaceWithVoid();
    }

    /** A profile that is gone leaves the completeness average from the time it went. */
    private static Uni<Integer> withdrawCompleteness(Map<String, Object> ids) {
        return NativeSql.execute("""
                INSERT INTO completeness_change (customer_id, changed_at, delta, first)
                SELECT :merged, :at, -completeness, -1 FROM customer_dim WHERE customer_id = :merged AND completeness IS NOT NULL""", ids);
    }
}
