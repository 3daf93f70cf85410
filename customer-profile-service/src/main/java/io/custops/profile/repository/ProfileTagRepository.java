package io.custops.profile.repository;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.events.payload.TagsChanged.TagRef;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads customers' tags. */
@ApplicationScoped
public class ProfileTagRepository {

    /** The tags of these customers, in one query. */
    public Uni<Map<UUID, List<TagRef>>> of(List<UUID> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession().flatMap(session -> session.createNativeQuery("SELECT customer_id, group_name, tag"
                + " FROM profile_tag WHERE customer_id IN (:ids) ORDER BY group_name, tag", Object[].class)
                .setParameter("ids", customerIds).getResultList())
                .map(rows -> {
                    Map<UUID, List<TagRef>> tags = new LinkedHashMap<>();
                    for (Object[] row : rows) {
                        tags.computeIfAbsent((UUID) row[0], id -> new ArrayList<>()).add(new TagRef((String) row[1], (String) row[2]));
                    }
                    return tags;
                });
    }

}
