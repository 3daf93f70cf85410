package io.custops.platform.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The audit trail of sensitive operations (DESIGN.md §5): who did what to whose data, and when. Entries are
 * written on their own connection and awaited before the response goes out, so a read-only request is audited
 * too, and an operation whose audit cannot be written fails instead of going unrecorded.
 */
@ApplicationScoped
public class AuditLog {
    public static final String UNMASKED_READ = "pii.read";
    public static final String EXPORT = "profile.export";
    public static final String ERASURE = "profile.erase";
    public static final String MERGE = "profile.merge";
    public static final String SPLIT = "profile.split";

    private final Pool pool;

    public AuditLog(Pool pool) {
        this.pool = pool;
    }

    public record Entry(long id, Instant at, String actor, String action, UUID customerId, String details) {
    }

    public Uni<Void> record(String actor, String action, UUID customerId, String details) {
        return pool.preparedQuery("INSERT INTO audit_log (actor, action, customer_id, details) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(actor, action, customerId, details)).replaceWithVoid();
    }

    /** One entry per customer, in one batched statement (e.g. a page of unmasked search results). */
    public Uni<Void> recordAll(String actor, String action, List<UUID> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = customerIds.stream().map(id -> Tuple.of(actor, action, id, null)).toList();
        return pool.preparedQuery("INSERT INTO audit_log (actor, action, customer_id, details) VALUES ($1, $2, $3, $4)")
                .executeBatch(rows).replaceWithVoid();
    }

    /** Newest first; every filter is optional; {@code before} is the last id of the previous page. */
    public Uni<List<Entry>> find(UUID customerId, String actor, String action, Instant from, Instant to, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, action, customer_id, details FROM audit_log WHERE true");
        List<Object> params = new ArrayList<>();
        add(sql, params, "customer_id = $", customerId);
        add(sql, params, "actor = $", actor);
        add(sql, params, "action = $", action);
        add(sql, params, "at >= $", from == null ? null : from.atOffset(ZoneOffset.UTC));
        add(sql, params, "at < $", to == null ? null : to.atOffset(ZoneOffset.UTC));
        add(sql, params, "id < $", before);
        params.add(limit);
        sql.append(" ORDER BY id DESC LIMIT $").append(params.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> {
            List<Entry> entries = new ArrayList<>();
            for (Row row : rows) {
                OffsetDateTime at = row.getOffsetDateTime("at");
                entries.add(new Entry(row.getLong("id"), at.toInstant(), row.getString("actor"), row.getString("action"),
                        row.getUUID("customer_id"), row.getString("details")));
            }
            return entries;
        });
    }

    private static void add(StringBuilder sql, List<Object> params, String clause, Object value) {
        if (value != null) {
            params.add(value);
            sql.append(" AND ").append(clause).append(params.size());
        }
    }
}
