package io.custops.profile.repository;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import io.custops.profile.domain.ActivityEvent;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ActivityEventRepository implements PanacheRepositoryBase<ActivityEvent, UUID> {

    /** The events already accepted under these dedup keys, in one query. */
    public Uni<List<ActivityEvent>> findByDedupKeys(Collection<String> keys) {
        return keys.isEmpty() ? Uni.createFrom().item(List.of()) : find("dedupKey in ?1", keys).list();
    }
}
