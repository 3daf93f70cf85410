package io.custops.profile.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.events.EventType;
import io.custops.events.payload.ProfileSplit;
import io.custops.events.payload.ProfilesMerged;
import io.custops.platform.audit.AuditLog;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Merges two profiles of one person and splits a wrong merge back out, set-based in SQL. A merge moves the
 * identifiers, activity, consent history and tags to the survivor (remembering where moved rows came from),
 * keeps the newest consent per channel and purpose, fills the survivor's empty attributes from the merged
 * profile, snapshots the merged profile into the lineage and publishes {@code ProfilesMerged}.
 */
@ApplicationScoped
public class MergeService {
    private final EventOutbox outbox;
    private final AuditLog audit;
    private final CompletenessService completeness;
    private final ObjectMapper mapper;
    private final Clock clock;

    public MergeService(EventOutbox outbox, AuditLog audit, CompletenessService completeness, ObjectMapper mapper, Clock clock) {
        this.outbox = outbox;
        this.completeness = completeness;
        this.audit = audit;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A merge decided by identity resolution. */
    public record Planned(UUID survivorId, UUID mergedId, String reason) {
    }

    public record Lineage(UUID id, UUID survivorId, UUID mergedId, Instant mergedAt, String reason, String mergedBy,
            Instant splitAt, String splitBy) {
    }

    /** How many merges this survivor has absorbed (and not split), per survivor, in one query. */
    public Uni<Map<UUID, Integer>> mergeCounts(List<UUID> survivors) {
        if (survivors.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT survivor_id, count(*) FROM profile_merge"
                + " WHERE survivor_id IN (:ids) AND split_at IS NULL GROUP BY survivor_id", Object[].class)
                .setParameter("ids", survivors).getResultList())
                .map(rows -> {
                    Map<UUID, Integer> counts = new HashMap<>();
                    rows.forEach(r -> counts.put((UUID) r[0], ((Number) r[1]).intValue()));
                    return counts;
                });
    }

    /**
     * Customer ids that were merged away, mapped to the live survivor at the end of their merge chain.
     */
    public Uni<Map<UUID, UUID>> survivorsOf(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession().flatMap(s -> s.createNativeQuery("""
                WITH RECURSIVE chain(start_id, current_id, depth) AS (
                    SELECT merged_id, survivor_id, 1 FROM profile_merge WHERE merged_id IN (:ids) AND split_at IS NULL
                    UNION ALL
                    SELECT c.start_id, m.survivor_id, c.depth + 1 FROM chain c
                    JOIN profile_merge m ON m.merged_id = c.current_id AND m.split_at IS NULL WHERE c.depth < 20)
                SELECT c.start_id, c.current_id FROM chain c WHERE EXISTS (SELECT 1 FROM profile p WHERE p.id = c.current_id)""",
                Object[].class).setParameter("ids", ids).getResultList())
                .map(rows -> {
                    Map<UUID, UUID> survivors = new HashMap<>();
                    rows.forEach(r -> survivors.put((UUID) r[0], (UUID) r[1]));
                    return survivors;
                });
    }

    /** Runs planned merges in order, in the current transaction (after the session's pending writes). */
    public Uni<Void> merge(List<Planned> merges, String actor) {
        Uni<Void> chain = Panache.getSession().flatMap(s -> s.flush());
        for (Planned merge : merges) {
            chain = chain.flatMap(x -> mergeOne(merge, actor));
        }
        return chain;
    }

    private Uni<Void> mergeOne(Planned merge, String actor) {
        UUID mergeId = UUID.randomUUID();
        Instant now = Instant.now(clock);
        Map<String, Object> ids = Map.of("s", merge.survivorId(), "m", merge.mergedId());
        return snapshot(merge.mergedId()).flatMap(snapshot -> NativeSql.execute("""
                INSERT INTO profile_merge (id, survivor_id, merged_id, merged_at, reason, merged_by, snapshot)
                VALUES (:id, :s, :m, :at, :reason, :by, :snapshot)""", NativeSql.with(ids, "id", mergeId, "at", now,
                "reason", merge.reason(), "by", actor, "snapshot", snapshot)))
                .flatMap(x -> NativeSql.execute("UPDATE profile_identifier SET customer_id = :s WHERE customer_id = :m", ids))
                .flatMap(x -> NativeSql.execute("UPDATE activity_event SET original_customer_id = coalesce(original_customer_id, :m),"
                        + " customer_id = :s WHERE customer_id = :m", ids))
                .flatMap(x -> NativeSql.execute("UPDATE consent_history SET original_customer_id = coalesce(original_customer_id, :m),"
                        + " customer_id = :s WHERE customer_id = :m", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO consent (customer_id, channel, purpose, status, source, proof, recorded_at, recorded_by)
                        SELECT :s, channel, purpose, status, source, proof, recorded_at, recorded_by FROM consent WHERE customer_id = :m
                        ON CONFLICT (customer_id, channel, purpose) DO UPDATE SET status = excluded.status,
                            source = excluded.source, proof = excluded.proof, recorded_at = excluded.recorded_at,
                            recorded_by = excluded.recorded_by
                        WHERE excluded.recorded_at > consent.recorded_at""", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO profile_tag (customer_id, group_name, tag, tagged_at, tagged_by)
                        SELECT :s, group_name, tag, tagged_at, tagged_by FROM profile_tag WHERE customer_id = :m
                        ON CONFLICT DO NOTHING""", ids))
                .flatMap(x -> NativeSql.execute("""
                        UPDATE profile s SET
                            first_name = coalesce(s.first_name, m.first_name), last_name = coalesce(s.last_name, m.last_name),
                            gender = coalesce(s.gender, m.gender), birthday = coalesce(s.birthday, m.birthday),
                            locale = coalesce(s.locale, m.locale), time_zone = coalesce(s.time_zone, m.time_zone),
                            region = coalesce(s.region, m.region),
                            registration_channel = coalesce(s.registration_channel, m.registration_channel),
                            addresses = CASE WHEN s.addresses = '[]' THEN m.addresses ELSE s.addresses END,
                            attributes = m.attributes || s.attributes,
                            source_systems = (SELECT coalesce(jsonb_agg(DISTINCT x), '[]'::jsonb)::text
                                FROM jsonb_array_elements_text(s.source_systems::jsonb || m.source_systems::jsonb) x),
                            status = CASE WHEN 'registered' IN (s.status, m.status) THEN 'registered' ELSE s.status END,
                            created_at = least(s.created_at, m.created_at),
                            version = s.version + 1, updated_at = :at
                        FROM profile m WHERE s.id = :s AND m.id = :m""", NativeSql.with(ids, "at", now)))
                // the merged profile's own consents and tags go with it (ON DELETE CASCADE)
                .flatMap(x -> NativeSql.execute("DELETE FROM profile WHERE id = :m", ids))
                .flatMap(x -> completeness.refresh(List.of(merge.survivorId())))
                .flatMap(x -> outbox.record(EventType.PROFILES_MERGED, merge.mergedId(),
                        new ProfilesMerged(merge.survivorId(), merge.mergedId(), mergeId, now, merge.reason())))
                .call(x -> audit.record(actor, AuditLog.MERGE, merge.survivorId(),
                        "merged " + merge.mergedId() + " (" + merge.reason() + ")"))
                .replaceWithVoid();
    }

    /** Undoes a merge: the merged profile comes back with what it had; publishes {@code ProfileSplit}. */
    public Uni<ProfileSplit> split(UUID mergeId, String actor) {
        return Panache.withTransaction(() -> lineageRow(mergeId).flatMap(row -> {
            if (row == null) {
                throw ProblemException.notFound("No merge " + mergeId + ".");
            }
            if (row[3] != null) {
                throw ProblemException.conflict("Merge " + mergeId + " was already split.");
            }
            UUID survivor = (UUID) row[0];
            UUID restored = (UUID) row[1];
            JsonNode snapshot = read((String) row[2]);
            Instant now = Instant.now(clock);
            Map<String, Object> ids = Map.of("s", survivor, "m", restored);
            return NativeSql.execute("INSERT INTO profile SELECT * FROM json_populate_record(NULL::profile, CAST(CAST(:p AS text) AS json))",
                    Map.of("p", snapshot.get("profile").toString()))
                    .flatMap(x -> NativeSql.execute("""
                            UPDATE profile_identifier i SET customer_id = :m
                            FROM json_populate_recordset(NULL::profile_identifier, CAST(CAST(:ids AS text) AS json)) o
                            WHERE i.type = o.type AND i.value = o.value AND i.customer_id = :s""",
                            NativeSql.with(ids, "ids", snapshot.get("identifiers").toString())))
                    .flatMap(x -> NativeSql.execute("UPDATE activity_event SET customer_id = :m, original_customer_id = NULL"
                            + " WHERE customer_id = :s AND original_customer_id = :m", ids))
                    .flatMap(x -> NativeSql.execute("UPDATE consent_history SET customer_id = :m, original_customer_id = NULL"
                            + " WHERE customer_id = :s AND original_customer_id = :m", ids))
                    .flatMap(x -> NativeSql.execute("INSERT INTO consent SELECT * FROM json_populate_recordset(NULL::consent,"
                            + " CAST(CAST(:c AS text) AS json)) ON CONFLICT DO NOTHING", Map.of("c", snapshot.get("consents").toString())))
                    .flatMap(x -> NativeSql.execute("INSERT INTO profile_tag SELECT * FROM json_populate_recordset(NULL::profile_tag,"
                            + " CAST(CAST(:t AS text) AS json)) ON CONFLICT DO NOTHING", Map.of("t", snapshot.get("tags").toString())))
                    .flatMap(x -> completeness.refresh(List.of(survivor, restored)))
                    .flatMap(x -> NativeSql.execute("UPDATE profile_merge SET split_at = :at, split_by = :by WHERE id = :id",
                            Map.of("at", now, "by", actor, "id", mergeId)))
                    .flatMap(x -> {
                        ProfileSplit split = new ProfileSplit(survivor, restored, mergeId, now);
                        return outbox.record(EventType.PROFILE_SPLIT, restored, split).replaceWith(split);
                    });
        })).call(split -> audit.record(actor, AuditLog.SPLIT, split.survivorId(), "restored " + split.restoredId()));
    }

    /** Every merge this customer took part in, as survivor or as merged profile, oldest first. */
    @WithSession
    public Uni<List<Lineage>> lineage(UUID customerId) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT id, survivor_id, merged_id, merged_at, reason,"
                + " merged_by, split_at, split_by FROM profile_merge WHERE survivor_id = :id OR merged_id = :id"
                + " ORDER BY merged_at", Object[].class).setParameter("id", customerId).getResultList())
                .map(rows -> {
                    List<Lineage> lineage = new ArrayList<>();
                    for (Object[] r : rows) {
                        lineage.add(new Lineage((UUID) r[0], (UUID) r[1], (UUID) r[2], NativeSql.instant(r[3]), (String) r[4],
                                (String) r[5], NativeSql.instant(r[6]), (String) r[7]));
                    }
                    return lineage;
                });
    }

    private static Uni<Object[]> lineageRow(UUID mergeId) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("SELECT survivor_id, merged_id, snapshot, split_at"
                + " FROM profile_merge WHERE id = :id FOR UPDATE", Object[].class).setParameter("id", mergeId).getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /** The merged profile as rows, so a split can restore it exactly. */
    private static Uni<String> snapshot(UUID mergedId) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery("""
                SELECT json_build_object(
                    'profile', (SELECT row_to_json(p) FROM profile p WHERE p.id = :m),
                    'identifiers', (SELECT coalesce(json_agg(i), '[]'::json) FROM profile_identifier i WHERE i.customer_id = :m),
                    'consents', (SELECT coalesce(json_agg(c), '[]'::json) FROM consent c WHERE c.customer_id = :m),
                    'tags', (SELECT coalesce(json_agg(t), '[]'::json) FROM profile_tag t WHERE t.customer_id = :m))::text""",
                String.class).setParameter("m", mergedId).getSingleResult());
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("merge snapshot is unreadable", e);
        }
    }

}
