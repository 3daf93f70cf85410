package io.custops.profile.repository;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.profile.domain.IdentifierType;
import io.custops.profile.domain.Profile;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Profile search with keyset pagination on (created_at, id): every page is an index range scan, however deep,
 * and no page is ever larger than the limit.
 */
@ApplicationScoped
public class ProfileSearch {

    /**
     * @param attributes custom attribute equality filters, as JSON objects such as {@code {"vip":true}} (jsonb
     *                   containment, typed, served by the GIN index)
     */
    public record Filter(IdentifierType identifierType, String identifierValue, List<String> attributes,
            List<String[]> tags, String status,
            Instant createdFrom, Instant createdTo, Instant updatedFrom, Instant updatedTo, Instant afterCreatedAt,
            UUID afterId, int limit) {
    }

    /** Up to {@code limit + 1} profiles, so the caller knows whether another page follows. */
    public Uni<List<Profile>> find(Filter filter) {
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("SELECT p.* FROM profile p WHERE ").append(where(filter, params));
        if (filter.afterCreatedAt() != null) {
            sql.append(" AND (p.created_at, p.id) > (:afterCreatedAt, :afterId)");
            params.put("afterCreatedAt", filter.afterCreatedAt());
            params.put("afterId", filter.afterId());
        }
        sql.append(" ORDER BY p.created_at, p.id LIMIT :limit");
        params.put("limit", filter.limit() + 1);
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql.toString(), Profile.class);
            params.forEach(query::setParameter);
            return query.getResultList();
        });
    }

    /**
     * The filter as a SQL condition on {@code profile p} (pagination aside), adding its parameters to
     * {@code params}: shared by search and by set-based bulk operations.
     */
    public String where(Filter filter, Map<String, Object> params) {
        StringBuilder sql = new StringBuilder("true");
        if (filter.identifierType() != null) {
            // driven from the identifier's primary key: one index probe, not a scan of profiles
            sql.append(" AND p.id IN (SELECT i.customer_id FROM profile_identifier i"
                    + " WHERE i.type = :idType AND i.value = :idValue)");
            params.put("idType", filter.identifierType().name());
            params.put("idValue", filter.identifierValue());
        }
        List<String> attributes = filter.attributes() == null ? List.of() : filter.attributes();
        for (int i = 0; i < attributes.size(); i++) {
            // the inner cast makes PostgreSQL type the parameter as text: typed as jsonb, the driver would send a JSON string
            sql.append(" AND p.attributes @> CAST(CAST(:attr").append(i).append(" AS text) AS jsonb)");
            params.put("attr" + i, attributes.get(i));
        }
        condition(sql, params, "p.status = :status", "status", filter.status());
        condition(sql, params, "p.created_at >= :createdFrom", "createdFrom", filter.createdFrom());
        condition(sql, params, "p.created_at < :createdTo", "createdTo", filter.createdTo());
        condition(sql, params, "p.updated_at >= :updatedFrom", "updatedFrom", filter.updatedFrom());
        condition(sql, params, "p.updated_at < :updatedTo", "updatedTo", filter.updatedTo());
        List<String[]> tags = filter.tags() == null ? List.of() : filter.tags();
        for (int i = 0; i < tags.size(); i++) {
            sql.append(" AND EXISTS (SELECT 1 FROM profile_tag t WHERE t.customer_id = p.id AND t.group_name = :tagGroup")
                    .append(i).append(" AND t.tag = :tagName").append(i).append(")");
            params.put("tagGroup" + i, tags.get(i)[0]);
            params.put("tagName" + i, tags.get(i)[1]);
        }
        return sql.toString();
    }

    private static void condition(StringBuilder sql, Map<String, Object> params, String clause, String name, Object value) {
        if (value != null) {
            sql.append(" AND ").append(clause);
            params.put(name, value);
        }
    }
}
