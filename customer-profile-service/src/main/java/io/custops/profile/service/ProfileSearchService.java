package io.custops.profile.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.profile.domain.AttributeDefinition;
import io.custops.profile.domain.IdentifierType;
import io.custops.profile.domain.Profile;
import io.custops.profile.domain.ProfileIdentifier;
import io.custops.profile.repository.IdentifierRepository;
import io.custops.profile.repository.ProfileSearch;
import io.custops.profile.repository.ProfileTagRepository;
import io.custops.profile.service.ProfileService.ProfileView;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Lists and searches profiles page by page with an opaque keyset cursor. */
@ApplicationScoped
public class ProfileSearchService {
    public static final int MAX_LIMIT = 200;

    private final ProfileSearch search;
    private final IdentifierRepository identifiers;
    private final AttributeSchemaService schema;
    private final ObjectMapper mapper;
    private final ProfileTagRepository tags;

    public ProfileSearchService(ProfileSearch search, IdentifierRepository identifiers, AttributeSchemaService schema,
            ObjectMapper mapper, ProfileTagRepository tags) {
        this.search = search;
        this.identifiers = identifiers;
        this.schema = schema;
        this.mapper = mapper;
        this.tags = tags;
    }

    /** The query as sent: {@code identifier} is {@code type:value}, each attribute {@code name:value}. */
    public record Query(String identifier, List<String> attributes, List<String> tags, String status, Instant createdFrom, Instant createdTo,
            Instant updatedFrom, Instant updatedTo, Integer limit, String cursor) {
    }

    public record Page(List<ProfileView> items, String nextCursor) {
    }

    @WithSession
    public Uni<Page> search(Query query) {
        return schema.byName().flatMap(definitions -> {
            ProfileSearch.Filter filter = filter(query, definitions);
            return search.find(filter).flatMap(found -> {
                List<Profile> page = found.size() > filter.limit() ? found.subList(0, filter.limit()) : found;
                String next = found.size() > filter.limit() ? cursor(page.get(page.size() - 1)) : null;
                List<UUID> pageIds = page.stream().map(p -> p.id).toList();
                return identifiers.forCustomers(pageIds).flatMap(ids -> tags.of(pageIds).map(tagsByCustomer -> {
                    Map<UUID, List<ProfileIdentifier>> byCustomer = ids.stream()
                            .collect(Collectors.groupingBy(i -> i.customerId));
                    List<ProfileView> views = page.stream()
                            .map(p -> new ProfileView(p, byCustomer.getOrDefault(p.id, List.of()), definitions,
                                    tagsByCustomer.getOrDefault(p.id, List.of()))).toList();
                    return new Page(views, next);
                }));
            });
        });
    }

    /** Checks and translates a query (400 with every bad parameter); also used by bulk operations. */
    public ProfileSearch.Filter filter(Query q, Map<String, AttributeDefinition> definitions) {
        List<Problem.FieldError> errors = new ArrayList<>();
        IdentifierType idType = null;
        String idValue = null;
        if (q.identifier() != null) {
            int colon = q.identifier().indexOf(':');
            try {
                idType = IdentifierType.fromWire(colon < 0 ? "" : q.identifier().substring(0, colon));
                idValue = idType.normalise(q.identifier().substring(colon + 1));
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("identifier", "must be type:value with a known type and a valid value"));
            }
        }
        List<String> attributes = new ArrayList<>();
        for (String attribute : q.attributes() == null ? List.<String>of() : q.attributes()) {
            int colon = attribute.indexOf(':');
            AttributeDefinition definition = colon < 0 ? null : definitions.get(attribute.substring(0, colon));
            if (definition == null) {
                errors.add(new Problem.FieldError("attribute", "'" + attribute + "' must be name:value with a declared attribute"));
                continue;
            }
            try {
                Object value = definition.type.coerce(asJson(attribute.substring(colon + 1)), definition.enumValues);
                attributes.add(mapper.writeValueAsString(Map.of(definition.name, value)));
            } catch (IllegalArgumentException | JsonProcessingException e) {
                errors.add(new Problem.FieldError("attribute", "'" + attribute + "': " + e.getMessage()));
            }
        }
        List<String[]> tags = new ArrayList<>();
        for (String tag : q.tags() == null ? List.<String>of() : q.tags()) {
            String[] parts = tag.split(":", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                errors.add(new Problem.FieldError("tag", "'" + tag + "' must be group:tag"));
            } else {
                tags.add(parts);
            }
        }
        int limit = q.limit() == null ? 50 : q.limit();
        if (limit < 1 || limit > MAX_LIMIT) {
            errors.add(new Problem.FieldError("limit", "must be between 1 and " + MAX_LIMIT));
        }
        if (q.status() != null && !List.of(Profile.STATUS_REGISTERED, Profile.STATUS_PROSPECT).contains(q.status())) {
            errors.add(new Problem.FieldError("status", "must be registered or prospect"));
        }
        Instant afterCreatedAt = null;
        UUID afterId = null;
        if (q.cursor() != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(q.cursor()), StandardCharsets.UTF_8).split("\\|");
                afterCreatedAt = Instant.parse(parts[0]);
                afterId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                errors.add(new Problem.FieldError("cursor", "is not a cursor this API returned"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The search has invalid parameters.", errors);
        }
        return new ProfileSearch.Filter(idType, idValue, attributes, tags, q.status(), q.createdFrom(), q.createdTo(),
                q.updatedFrom(), q.updatedTo(), afterCreatedAt, afterId, limit);
    }

    /** A query value as JSON when it parses (true, 42, "x"), else as a plain string. */
    private JsonNode asJson(String raw) {
        try {
            JsonNode node = mapper.readTree(raw);
            return node == null ? TextNode.valueOf(raw) : node;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(raw);
        }
    }

    private static String cursor(Profile last) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((last.createdAt + "|" + last.id).getBytes(StandardCharsets.UTF_8));
    }
}
