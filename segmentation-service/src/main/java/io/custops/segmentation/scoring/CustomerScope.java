package io.custops.segmentation.scoring;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.platform.persistence.NativeSql;

/**
 * The customers a set-based statement works on: the ids an event batch touched, or a slice (after, upto] of the
 * id space for a recompute job. Statements are written once and restricted by {@link #on(String)}; the scope
 * only ever contributes fixed SQL and bound parameters.
 */
public record CustomerScope(List<UUID> ids, UUID after, UUID upto) {
    public static final UUID FIRST = new UUID(0, 0);
    public static final UUID LAST = new UUID(-1, -1);

    public static CustomerScope of(Collection<UUID> ids) {
        return new CustomerScope(ids.stream().distinct().sorted().toList(), null, null);
    }

    /** Customers with an id in (after, upto]. */
    public static CustomerScope range(UUID after, UUID upto) {
        return new CustomerScope(null, after, upto);
    }

    public boolean isEmpty() {
        return ids != null && ids.isEmpty();
    }

    /** A predicate restricting {@code alias.customer_id} to this scope. */
    public String on(String alias) {
        return ids != null
                ? alias + ".customer_id IN (SELECT CAST(x AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:scopeIds AS text) AS jsonb)) x)"
                : alias + ".customer_id > :scopeAfter AND " + alias + ".customer_id <= :scopeUpto";
    }

    /** The scope's customer ids as a row source with one column, {@code customer_id}. */
    public String customers() {
        return ids != null
                ? "SELECT DISTINCT CAST(x AS uuid) AS customer_id FROM jsonb_array_elements_text(CAST(CAST(:scopeIds AS text) AS jsonb)) x"
                : "SELECT customer_id FROM customer_score k WHERE " + on("k");
    }

    /**
     * The last id of the slice of {@code size} customers after {@code after}, or {@link #LAST} when fewer remain:
     * how jobs cut the id space into slices.
     */
    public static io.smallrye.mutiny.Uni<UUID> sliceEnd(UUID after, int size) {
        return NativeSql.list("SELECT customer_id FROM customer_score WHERE customer_id > :after ORDER BY customer_id"
                + " OFFSET :skip LIMIT 1", UUID.class, Map.of("after", after, "skip", size - 1))
                .map(ids -> ids.isEmpty() ? LAST : ids.get(0));
    }

    /** How many scored customers the scope holds. */
    public io.smallrye.mutiny.Uni<Long> count() {
        return NativeSql.single("SELECT count(*) FROM customer_score s WHERE " + on("s"), Long.class, params());
    }

    public Map<String, Object> params() {
        return ids != null ? Map.of("scopeIds", NativeSql.json(ids)) : Map.of("scopeAfter", after, "scopeUpto", upto);
    }
}
