package io.custops.profile.repository;

import io.custops.profile.domain.AttributeDefinition;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class AttributeDefinitionRepository implements PanacheRepositoryBase<AttributeDefinition, String> {
}
