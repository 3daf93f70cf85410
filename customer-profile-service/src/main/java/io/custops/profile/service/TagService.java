package io.custops.profile.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.custops.events.EventType;
import io.custops.events.payload.TagsChanged;
import io.custops.events.payload.TagsChanged.TagRef;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.outbox.OutboxEvent;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.profile.repository.ProfileSearch;
import io.custops.profile.repository.ProfileTagRepository;
import io.custops.profile.rest.dto.TagDtos;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Manual tags in tag groups. Tagging is set-based SQL ({@code INSERT ... SELECT ... ON CONFLICT DO NOTHING
 * RETURNING}, {@code DELETE ... RETURNING}), so only real changes are reported, and each customer whose tags
 * changed gets one {@code TagsChanged} event.
 */
@ApplicationScoped
public class TagService {
    private final ProfileSearch search;
    private final ProfileSearchService searchService;
    private final AttributeSchemaService schema;
    private final ProfileTagRepository profileTags;
    private final EventOutbox outbox;
    private final Clock clock;

    public TagService(ProfileSearch search, ProfileSearchService searchService, AttributeSchemaService schema,
            ProfileTagRepository profileTags, EventOutbox outbox, Clock clock) {
        this.profileTags = profileTags;
        this.search = search;
        this.searchService = searchService;
        this.schema = schema;
        this.outbox = outbox;
        this.clock = clock;
    }

    @WithTransaction
    public Uni<Void> defineGroup(String group, String description) {
        return NativeSql.execute("INSERT INTO tag_group (name, description, created_at) VALUES (:name, :description, now())"
                + " ON CONFLICT (name) DO UPDATE SET description = excluded.description",
                Map.of("name", group, "description", description == null ? "" : description)).replaceWithVoid();
    }

    @WithTransaction
    public Uni<Void> defineTag(String group, String tag, String description) {
        return NativeSql.single("SELECT count(*) FROM tag_group WHERE name = :name", Long.class, Map.of("name", group)).flatMap(found -> {
            if (found == 0) {
                throw ProblemException.notFound("No tag group " + group + ": create it first.");
            }
            return NativeSql.execute("INSERT INTO tag (group_name, name, description, created_at) VALUES (:group, :name, :description, now())"
                    + " ON CONFLICT (group_name, name) DO UPDATE SET description = excluded.description",
                    Map.of("group", group, "name", tag, "description", description == null ? "" : description));
        }).replaceWithVoid();
    }

    @WithSession
    public Uni<List<TagDtos.Group>> groups() {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("SELECT g.name, g.description, t.name AS tag,"
                + " t.description AS tag_description FROM tag_group g LEFT JOIN tag t ON t.group_name = g.name"
                + " ORDER BY g.name, t.name", Object[].class).getResultList())
                .map(rows -> {
                    Map<String, TagDtos.Group> groups = new LinkedHashMap<>();
                    for (Object[] row : rows) {
                        TagDtos.Group group = groups.computeIfAbsent((String) row[0],
                                name -> new TagDtos.Group(name, (String) row[1], new ArrayList<>()));
                        if (row[2] != null) {
                            group.tags().add(new TagDtos.Tag((String) row[2], (String) row[3]));
                        }
                    }
                    return new ArrayList<>(groups.values());
                });
    }

    /** Tags one customer; 404 when the customer does not exist. */
    @WithTransaction
    public Uni<List<TagRef>> change(UUID customerId, TagDtos.Change change, String by) {
        return NativeSql.single("SELECT count(*) FROM profile WHERE id = :id", Long.class, Map.of("id", customerId)).flatMap(found -> {
            if (found == 0) {
                throw ProblemException.notFound("No customer " + customerId + ".");
            }
            return apply("p.id = :customer", Map.of("customer", customerId), refs(change.add()), refs(change.remove()), by);
        }).flatMap(ignored -> profileTags.of(List.of(customerId))).map(tags -> tags.getOrDefault(customerId, List.of()));
    }

    /** Tags many customers at once, by id list or by filter. */
    @WithTransaction
    public Uni<TagDtos.BulkResult> bulk(TagDtos.Bulk bulk, String by) {
        boolean byIds = bulk.customerIds() != null && !bulk.customerIds().isEmpty();
        if (byIds == (bulk.filter() != null)) {
            throw ProblemException.badRequest("Name the customers either by customerIds or by filter.",
                    List.of(new Problem.FieldError("customerIds", "exactly one of customerIds and filter is required")));
        }
        if (byIds) {
            return apply("p.id IN (:ids)", Map.of("ids", List.copyOf(bulk.customerIds())), refs(bulk.add()),
                    refs(bulk.remove()), by);
        }
        TagDtos.BulkFilter f = bulk.filter();
        return schema.byName().flatMap(definitions -> {
            ProfileSearch.Filter filter = searchService.filter(new ProfileSearchService.Query(f.identifier(), f.attribute(),
                    f.tag(), f.status(), f.createdFrom(), f.createdTo(), f.updatedFrom(), f.updatedTo(), null, null),
                    definitions);
            Map<String, Object> params = new LinkedHashMap<>();
            String where = search.where(filter, params);
            return apply(where, params, refs(bulk.add()), refs(bulk.remove()), by);
        });
    }

    /** Per tag group: the share of all customers carrying at least one of its tags. */
    @WithSession
    public Uni<List<TagDtos.Coverage>> coverage() {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("SELECT g.name,"
                + " (SELECT count(DISTINCT pt.customer_id) FROM profile_tag pt WHERE pt.group_name = g.name),"
                + " (SELECT count(*) FROM profile) FROM tag_group g ORDER BY g.name", Object[].class).getResultList())
                .map(rows -> rows.stream().map(row -> {
                    long tagged = ((Number) row[1]).longValue();
                    long total = ((Number) row[2]).longValue();
                    BigDecimal share = total == 0 ? BigDecimal.ZERO
                            : BigDecimal.valueOf(tagged).divide(BigDecimal.valueOf(total), 4, RoundingMode.HALF_UP);
                    return new TagDtos.Coverage((String) row[0], tagged, total, share);
                }).toList());
    }

    private Uni<TagDtos.BulkResult> apply(String where, Map<String, Object> whereParams, List<TagRef> add,
            List<TagRef> remove, String by) {
        Set<TagRef> all = new HashSet<>(add);
        all.addAll(remove);
        return requireDeclared(all).flatMap(ignored -> {
            Map<UUID, List<TagRef>> added = new LinkedHashMap<>();
            Map<UUID, List<TagRef>> removed = new LinkedHashMap<>();
            Uni<Void> work = Uni.createFrom().voidItem();
            for (TagRef tag : add) {
                Map<String, Object> params = new LinkedHashMap<>(whereParams);
                params.put("tagGroup", tag.group());
                params.put("tagName", tag.tag());
                params.put("by", by);
                work = work.flatMap(x -> NativeSql.list("INSERT INTO profile_tag (customer_id, group_name, tag, tagged_at, tagged_by)"
                        + " SELECT p.id, :tagGroup, :tagName, now(), :by FROM profile p WHERE " + where
                        + " ON CONFLICT DO NOTHING RETURNING customer_id", UUID.class, params)
                        .invoke(ids -> ids.forEach(id -> added.computeIfAbsent(id, k -> new ArrayList<>()).add(tag)))
                        .replaceWithVoid());
            }
            for (TagRef tag : remove) {
                Map<String, Object> params = new LinkedHashMap<>(whereParams);
                params.put("tagGroup", tag.group());
                params.put("tagName", tag.tag());
                work = work.flatMap(x -> NativeSql.list("DELETE FROM profile_tag pt USING profile p WHERE pt.customer_id = p.id"
                        + " AND pt.group_name = :tagGroup AND pt.tag = :tagName AND " + where + " RETURNING pt.customer_id", UUID.class, params)
                        .invoke(ids -> ids.forEach(id -> removed.computeIfAbsent(id, k -> new ArrayList<>()).add(tag)))
                        .replaceWithVoid());
            }
            return work.flatMap(x -> {
                Instant now = Instant.now(clock);
                Set<UUID> customers = new HashSet<>(added.keySet());
                customers.addAll(removed.keySet());
                List<OutboxEvent> events = customers.stream().map(id -> outbox.prepare(EventType.TAGS_CHANGED, id,
                        new TagsChanged(id, added.getOrDefault(id, List.of()), removed.getOrDefault(id, List.of()), now)))
                        .toList();
                int addedCount = added.values().stream().mapToInt(List::size).sum();
                int removedCount = removed.values().stream().mapToInt(List::size).sum();
                return outbox.recordAll(events).replaceWith(new TagDtos.BulkResult(customers.size(), addedCount, removedCount));
            });
        });
    }

    private Uni<Void> requireDeclared(Set<TagRef> tags) {
        if (tags.isEmpty()) {
            throw ProblemException.badRequest("Name at least one tag to add or remove.",
                    List.of(new Problem.FieldError("add", "add or remove must hold a tag")));
        }
        return Multi.createFrom().iterable(tags)
                .onItem().transformToUniAndConcatenate(tag -> NativeSql.single("SELECT count(*) FROM tag WHERE group_name = :g AND name = :n",
                        Long.class, Map.of("g", tag.group(), "n", tag.tag())).map(found -> found == 0 ? tag : null))
                .filter(missing -> missing != null).collect().asList()
                .map(missing -> {
                    if (!missing.isEmpty()) {
                        throw ProblemException.badRequest("Some tags are not declared.", missing.stream()
                                .map(t -> new Problem.FieldError("tags", t.group() + ":" + t.tag() + " is not a declared tag"))
                                .toList());
                    }
                    return null;
                });
    }

    private static List<TagRef> refs(List<TagDtos.Ref> refs) {
        return refs == null ? List.of() : refs.stream().map(TagDtos.Ref::toRef).distinct().toList();
    }



}
