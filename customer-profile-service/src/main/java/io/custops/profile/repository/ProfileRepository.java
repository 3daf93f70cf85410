package io.custops.profile.repository;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.platform.persistence.NativeSql;
import io.custops.profile.domain.JsonColumns;
import io.custops.profile.domain.Profile;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ProfileRepository implements PanacheRepositoryBase<Profile, UUID> {

    /** The status (registered or prospect) of those of these customer ids that exist, in one query. */
    public Uni<Map<UUID, String>> statuses(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return getSession().flatMap(session -> session
                .createSelectionQuery("select p.id, p.status from Profile p where p.id in :ids", Object[].class)
                .setParameter("ids", ids).getResultList())
                .map(rows -> {
                    Map<UUID, String> statuses = new HashMap<>();
                    rows.forEach(r -> statuses.put((UUID) r[0], (String) r[1]));
                    return statuses;
                });
    }

    /** Inserts new prospect profiles (id, source and timestamps set; everything else empty) in one statement. */
    public Uni<Void> insertProspects(List<Profile> prospects) {
        List<Map<String, Object>> rows = prospects.stream().map(p -> NativeSql.params("id", p.id, "version", p.version,
                "status", p.status, "source", p.source, "source_systems", new JsonColumns.Strings().convertToDatabaseColumn(p.sourceSystems),
                "created_at", p.createdAt, "updated_at", p.updatedAt)).toList();
        return NativeSql.insertRows("profile", PROSPECT_COLUMNS, rows, "").replaceWithVoid();
    }

    private static final List<String> PROSPECT_COLUMNS = List.of("id", "version", "status", "source", "source_systems",
            "created_at", "updated_at");

    /** A profile a set-based update changed: its id, new completeness and update time. */
    public record Updated(UUID id, java.math.BigDecimal completeness, Instant updatedAt) {
    }

    /**
     * Adds source systems to the profiles that do not list them yet, in one statement; each row names a
     * {@code customer_id} and a {@code source}. Returns the profiles it changed (their version is bumped).
     */
    public Uni<List<Updated>> addSourceSystems(List<Map<String, Object>> customerSources, Instant now) {
        if (customerSources.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return NativeSql.list("""
                WITH wanted AS (
                    SELECT x.customer_id, array_agg(DISTINCT x.source) AS sources
                    FROM jsonb_to_recordset(CAST(CAST(:rows AS text) AS jsonb)) AS x(customer_id uuid, source text)
                    GROUP BY x.customer_id)
                UPDATE profile p SET source_systems = CAST(CAST(p.source_systems AS jsonb) || to_jsonb(ARRAY(
                        SELECT unnest(w.sources) EXCEPT SELECT jsonb_array_elements_text(CAST(p.source_systems AS jsonb))))
                        AS text),
                    version = p.version + 1, updated_at = :now
                FROM wanted w
                WHERE p.id = w.customer_id AND NOT jsonb_exists_all(CAST(p.source_systems AS jsonb), w.sources)
                RETURNING p.id, p.completeness""", Object[].class, NativeSql.params("rows", NativeSql.json(customerSources), "now", now))
                .map(rows -> rows.stream().map(r -> new Updated((UUID) r[0], (java.math.BigDecimal) r[1], now)).toList());
    }

    /** Which of these customer ids exist, in one query. */
    public Uni<List<UUID>> existingIds(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return getSession().flatMap(session -> session
                .createSelectionQuery("select p.id from Profile p where p.id in :ids", UUID.class)
                .setParameter("ids", ids).getResultList());
    }
}
