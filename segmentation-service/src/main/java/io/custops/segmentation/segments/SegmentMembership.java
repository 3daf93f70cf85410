package io.custops.segmentation.segments;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.custops.events.EventType;
import io.custops.platform.outbox.EventSource;
import io.custops.platform.persistence.NativeSql;
import io.custops.segmentation.scoring.CustomerScope;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps segment membership current, set-based, in the current transaction: for a scope of customers, who now
 * matches a segment enters it and who no longer matches exits it, with {@code SegmentEntered} /
 * {@code SegmentExited} written to the outbox by the same statement. The scope is the customers an event batch
 * touched (real time), a slice of the id space (the daily sweep and definition changes), or an uploaded list
 * (static segments).
 */
@ApplicationScoped
public class SegmentMembership {
    /** A rule segment as evaluated: compiled once per definition version. */
    public record RuleSegment(UUID id, int version, String name, SegmentCompiler.Compiled compiled) {
    }

    private final EventSource source;
    private final Map<UUID, RuleSegment> compiled = new ConcurrentHashMap<>();

    public SegmentMembership(EventSource source) {
        this.source = source;
    }

    /** The active rule segments, in id order (so concurrent transactions meet them in the same order). */
    public Uni<List<RuleSegment>> activeRules() {
        return NativeSql.list("SELECT id, version, name, CAST(definition AS text) FROM segment"
                + " WHERE state = 'active' AND kind = 'rule' ORDER BY id", Object[].class, Map.of())
                .map(rows -> rows.stream().map(r -> {
                    UUID id = (UUID) r[0];
                    int version = ((Number) r[1]).intValue();
                    RuleSegment known = compiled.get(id);
                    if (known != null && known.version() == version) {
                        return known;
                    }
                    RuleSegment fresh = new RuleSegment(id, version, (String) r[2], SegmentCompiler.compile(Segments.parse((String) r[3])));
                    compiled.put(id, fresh);
                    return fresh;
                }).toList());
    }

    /** Re-evaluates every active rule segment for the customers in scope; returns entries plus exits. */
    public Uni<Long> evaluateAll(CustomerScope scope, Instant now, String cause) {
        if (scope.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        return activeRules().flatMap(rules -> Multi.createFrom().iterable(rules)
                .onItem().transformToUniAndConcatenate(rule -> evaluate(rule, scope, now, cause))
                .collect().asList()
                .map(counts -> counts.stream().mapToLong(c -> c[0] + c[1]).sum()));
    }

    /** Re-evaluates one rule segment for the customers in scope; returns {entered, exited}. */
    public Uni<long[]> evaluate(RuleSegment rule, CustomerScope scope, Instant now, String cause) {
        String matched = "SELECT s.customer_id FROM customer_score s WHERE " + scope.on("s") + " AND (" + rule.compiled().predicate() + ")";
        return apply(rule.id(), rule.name(), matched, scope.on("m"), NativeSql.with(scope.params(),
                rule.compiled().params().entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                        .toArray()), now, cause);
    }

    /**
     * Makes the members within {@code exitScope} (a predicate on {@code m}) exactly those of {@code matched} (a row
     * source of {@code customer_id}): the missing enter, the others exit, each announced.
     */
    Uni<long[]> apply(UUID segment, String name, String matched, String exitScope, Map<String, Object> params, Instant now,
            String cause) {
        Map<String, Object> all = NativeSql.with(params, "seg", segment, "segName", name, "now", now.atOffset(ZoneOffset.UTC),
                "nowText", now.toString(), "cause", cause, "source", source.uri(), "topic", EventType.SEGMENT_ENTERED.topic(),
                "enteredType", EventType.SEGMENT_ENTERED.type(), "exitedType", EventType.SEGMENT_EXITED.type());
        return NativeSql.list("""
                WITH matched AS (%1$s),
                entered AS (
                    INSERT INTO segment_member (segment_id, customer_id, entered_at)
                    SELECT :seg, customer_id, CAST(:now AS timestamptz) FROM matched ORDER BY customer_id
                    ON CONFLICT DO NOTHING RETURNING customer_id),
                exited AS (
                    DELETE FROM segment_member m WHERE m.segment_id = :seg AND %2$s
                      AND NOT EXISTS (SELECT 1 FROM matched x WHERE x.customer_id = m.customer_id)
                    RETURNING m.customer_id),
                events AS (
                    INSERT INTO outbox_event (event_id, type, topic, subject, source, occurred_at, data)
                    SELECT gen_random_uuid(), e.type, :topic, e.customer_id::text, :source, CAST(:now AS timestamptz),
                           jsonb_build_object('customerId', e.customer_id, 'segmentId', CAST(:seg AS uuid),
                               'segmentName', CAST(:segName AS text), e.at_field, CAST(:nowText AS text),
                               'cause', CAST(:cause AS text))::text
                    FROM (SELECT customer_id, CAST(:enteredType AS text) AS type, 'enteredAt' AS at_field FROM entered
                          UNION ALL
                          SELECT customer_id, CAST(:exitedType AS text), 'exitedAt' FROM exited) e
                    ORDER BY e.customer_id)
                SELECT (SELECT count(*) FROM entered), (SELECT count(*) FROM exited)""".formatted(matched, exitScope),
                Object[].class, all)
                .map(rows -> new long[] { ((Number) rows.get(0)[0]).longValue(), ((Number) rows.get(0)[1]).longValue() });
    }

    /** A merged customer leaves all their segments (the survivor is evaluated on its own). */
    public Uni<Void> leaveAll(UUID customer, Instant now, String cause) {
        return NativeSql.list("SELECT s.id, s.name FROM segment s JOIN segment_member m ON m.segment_id = s.id"
                + " WHERE m.customer_id = :id ORDER BY s.id", Object[].class, Map.of("id", customer))
                .flatMap(rows -> Multi.createFrom().iterable(rows)
                        .onItem().transformToUniAndConcatenate(r -> apply((UUID) r[0], (String) r[1],
                                "SELECT NULL::uuid AS customer_id WHERE FALSE", "m.customer_id = :leaving",
                                Map.of("leaving", customer), now, cause))
                        .collect().asList().replaceWithVoid());
    }
}
