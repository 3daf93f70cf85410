package io.custops.profile.repository;

import java.util.List;
import java.util.UUID;

import io.custops.profile.domain.ConsentRecord;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ConsentHistoryRepository implements PanacheRepositoryBase<ConsentRecord, Long> {
    /** Newest first, at most {@code limit}, older than {@code beforeId} when given (keyset paging). */
    public Uni<List<ConsentRecord>> forCustomer(UUID customerId, Long beforeId, int limit) {
        return (beforeId == null ? find("customerId = ?1 order by id desc", customerId)
                : find("customerId = ?1 and id < ?2 order by id desc", customerId, beforeId))
                .page(Page.ofSize(limit)).list();
    }
}
