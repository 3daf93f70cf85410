package io.custops.profile.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.profile.domain.AttributeDefinition;
import io.custops.profile.domain.AttributeType;
import io.custops.profile.repository.AttributeDefinitionRepository;
import io.custops.profile.rest.dto.AttributeDefinitionDto;
import io.custops.platform.persistence.NativeSql;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The custom attribute schema: declaring, changing and retiring custom attributes. */
@ApplicationScoped
public class AttributeSchemaService {
    private final AttributeDefinitionRepository definitions;
    private final CompletenessService completeness;
    private final Clock clock;

    public AttributeSchemaService(AttributeDefinitionRepository definitions, CompletenessService completeness, Clock clock) {
        this.completeness = completeness;
        this.definitions = definitions;
        this.clock = clock;
    }

    @WithSession
    public Uni<List<AttributeDefinitionDto>> list() {
        return definitions.listAll(io.quarkus.panache.common.Sort.by("name")).map(all -> all.stream().map(AttributeSchemaService::toDto).toList());
    }

    /** All definitions by name, in the current session. */
    public Uni<Map<String, AttributeDefinition>> byName() {
        return definitions.listAll().map(all -> all.stream().collect(Collectors.toMap(d -> d.name, Function.identity())));
    }

    /**
     * Declares or changes an attribute. Changing the type or narrowing the values of an attribute that profiles
     * already use is refused: stored values would no longer fit.
     */
    @WithTransaction
    public Uni<AttributeDefinitionDto> put(String name, AttributeDefinitionDto request) {
        AttributeType type;
        try {
            type = AttributeType.fromWire(request.type());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("Unknown attribute type.", List.of(new Problem.FieldError("type",
                    "must be one of string, number, integer, boolean, date, datetime, enum")));
        }
        if (type == AttributeType.ENUM && (request.enumValues() == null || request.enumValues().isEmpty())) {
            throw ProblemException.badRequest("An enum attribute needs its values.",
                    List.of(new Problem.FieldError("enumValues", "must list at least one value")));
        }
        List<String> values = type == AttributeType.ENUM ? List.copyOf(request.enumValues()) : null;
        return definitions.findById(name).flatMap(existing -> inUse(name).flatMap(used -> {
            Instant now = Instant.now(clock);
            if (existing != null && used && (existing.type != type
                    || (values != null && existing.enumValues != null && !values.containsAll(existing.enumValues)))) {
                throw ProblemException.conflict("Attribute " + name + " is in use: its type cannot change and enum "
                        + "values cannot be removed.");
            }
            AttributeDefinition definition = existing != null ? existing : new AttributeDefinition();
            if (existing == null) {
                definition.name = name;
                definition.createdAt = now;
            }
            definition.type = type;
            definition.enumValues = values;
            definition.description = request.description();
            definition.pii = Boolean.TRUE.equals(request.pii());
            definition.updatedAt = now;
            return (existing == null ? definitions.persist(definition) : Uni.createFrom().item(definition))
                    .call(x -> existing == null ? completeness.queueRecompute("attribute " + name + " declared")
                            : Uni.createFrom().voidItem())
                    .map(AttributeSchemaService::toDto);
        }));
    }

    /** Retires an attribute that no profile uses. */
    @WithTransaction
    public Uni<Void> delete(String name) {
        return definitions.findById(name).flatMap(existing -> {
            if (existing == null) {
                throw ProblemException.notFound("No attribute " + name + ".");
            }
            return inUse(name).flatMap(used -> {
                if (used) {
                    throw ProblemException.conflict("Attribute " + name + " is still set on profiles; clear it first.");
                }
                return definitions.delete(existing)
                        .flatMap(x -> completeness.queueRecompute("attribute " + name + " retired"));
            });
        });
    }

    private static Uni<Boolean> inUse(String name) {
        return NativeSql.single("SELECT EXISTS (SELECT 1 FROM profile WHERE jsonb_exists(attributes, :name))",
                Boolean.class, Map.of("name", name));
    }

    private static AttributeDefinitionDto toDto(AttributeDefinition d) {
        return new AttributeDefinitionDto(d.name, d.type.wireName(), d.enumValues, d.description, d.pii);
    }
}
