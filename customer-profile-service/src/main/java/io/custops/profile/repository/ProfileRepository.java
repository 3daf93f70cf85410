package io.custops.profile.repository;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
