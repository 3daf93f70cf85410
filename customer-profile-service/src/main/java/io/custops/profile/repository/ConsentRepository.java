package io.custops.profile.repository;

import java.util.List;
import java.util.UUID;

import io.custops.profile.domain.Consent;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ConsentRepository implements PanacheRepositoryBase<Consent, Consent.Key> {
    public Uni<List<Consent>> forCustomer(UUID customerId) {
        return find("customerId", customerId).list();
    }
}
