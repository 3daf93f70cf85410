package io.custops.profile.repository;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import io.custops.profile.domain.Profile;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ProfileRepository implements PanacheRepositoryBase<Profile, UUID> {

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
