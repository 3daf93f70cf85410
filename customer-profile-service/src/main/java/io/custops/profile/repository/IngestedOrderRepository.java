package io.custops.profile.repository;

import io.custops.profile.domain.IngestedOrder;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class IngestedOrderRepository implements PanacheRepositoryBase<IngestedOrder, IngestedOrder.Key> {
}
