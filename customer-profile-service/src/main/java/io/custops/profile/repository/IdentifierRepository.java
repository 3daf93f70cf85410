package io.custops.profile.repository;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.custops.platform.persistence.NativeSql;
import io.custops.profile.domain.IdentifierType;
import io.custops.profile.domain.ProfileIdentifier;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class IdentifierRepository implements PanacheRepositoryBase<ProfileIdentifier, ProfileIdentifier.Key> {

    /** Inserts new identifiers in one statement. */
    public Uni<Void> insertAll(List<ProfileIdentifier> identifiers) {
        List<Map<String, Object>> rows = identifiers.stream().map(i -> NativeSql.params("type", i.type.name(),
                "value", i.value, "customer_id", i.customerId)).toList();
        return NativeSql.insertRows("profile_identifier", List.of("type", "value", "customer_id"), rows, "").replaceWithVoid();
    }

    /** The identifiers among {@code candidates} that some profile already holds, in one query. */
    public Uni<List<ProfileIdentifier>> findExisting(List<ProfileIdentifier> candidates) {
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Set<String> wanted = candidates.stream().map(c -> c.type + ":" + c.value).collect(Collectors.toSet());
        return find("value in ?1", candidates.stream().map(c -> c.value).distinct().toList()).list()
                .map(found -> found.stream().filter(f -> wanted.contains(f.type + ":" + f.value)).toList());
    }

    public Uni<List<ProfileIdentifier>> forCustomers(Collection<UUID> customerIds) {
        return customerIds.isEmpty() ? Uni.createFrom().item(List.of())
                : find("customerId in ?1 order by type, value", customerIds).list();
    }

    public Uni<List<ProfileIdentifier>> forCustomer(UUID customerId) {
        return find("customerId = ?1 order by type, value", customerId).list();
    }

    /** How many identifiers of each type each of these customers holds, in one query. */
    public Uni<Map<UUID, Map<IdentifierType, Integer>>> countByCustomerAndType(Collection<UUID> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return getSession().flatMap(session -> session.createSelectionQuery("select i.customerId, i.type, count(i)"
                + " from ProfileIdentifier i where i.customerId in :ids group by i.customerId, i.type", Object[].class)
                .setParameter("ids", customerIds).getResultList())
                .map(rows -> {
                    Map<UUID, Map<IdentifierType, Integer>> counts = new HashMap<>();
                    for (Object[] row : rows) {
                        counts.computeIfAbsent((UUID) row[0], c -> new EnumMap<>(IdentifierType.class))
                                .put((IdentifierType) row[1], ((Number) row[2]).intValue());
                    }
                    return counts;
                });
    }
}
