package io.custops.profile.repository;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.custops.profile.domain.ProfileIdentifier;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class IdentifierRepository implements PanacheRepositoryBase<ProfileIdentifier, ProfileIdentifier.Key> {

    /** The identifiers among {@code candidates} that some profile already holds, in one query. */
    public Uni<List<ProfileIdentifier>> findExisting(List<ProfileIdentifier> candidates) {
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Set<String> wanted = candidates.stream().map(c -> c.type + ":" + c.value).collect(Collectors.toSet());
        return find("value in ?1", candidates.stream().map(c -> c.value).distinct().toList()).list()
                .map(found -> found.stream().filter(f -> wanted.contains(f.type + ":" + f.value)).toList());
    }

    public Uni<List<ProfileIdentifier>> forCustomer(UUID customerId) {
        return find("customerId = ?1 order by type, value", customerId).list();
    }
}
