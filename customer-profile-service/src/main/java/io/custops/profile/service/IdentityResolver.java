package io.custops.profile.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.custops.events.EventType;
import io.custops.events.payload.ProfileRegistered;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.outbox.OutboxEvent;
import io.custops.profile.config.IdentityConfig;
import io.custops.profile.domain.IdentifierType;
import io.custops.profile.domain.Profile;
import io.custops.profile.domain.ProfileIdentifier;
import io.custops.profile.repository.IdentifierRepository;
import io.custops.profile.repository.ProfileRepository;
import io.custops.profile.service.IdentifierPolicy.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Resolves identifiers to one customer id, set-based: {@link #load} reads, in three queries, everything a whole
 * batch needs (who holds which identifier, which customers exist, how many identifiers of each type they hold);
 * {@link Context#resolve} then decides in memory; {@link #persist} writes the new prospects, the newly linked
 * identifiers and their {@code ProfileRegistered} events in the caller's transaction.
 * <p>
 * Rules: no holder → a prospect profile is created; one holder → that customer, and the request's other
 * identifiers are linked to it up to the per-type limit; several holders → they are one person: the others are
 * merged into the survivor (a registered customer before a prospect, then the holder of the most trusted
 * identifier), unless the survivor has reached its merge cap, in which case the link is reported as a conflict.
 */
@ApplicationScoped
public class IdentityResolver {
    private final IdentifierRepository identifiers;
    private final ProfileRepository profiles;
    private final IdentifierPolicy policy;
    private final EventOutbox outbox;
    private final MergeService merges;
    private final CompletenessService completeness;
    private final int maxMerges;
    private final Clock clock;

    public IdentityResolver(IdentifierRepository identifiers, ProfileRepository profiles, IdentifierPolicy policy,
            EventOutbox outbox, MergeService merges, CompletenessService completeness, IdentityConfig config, Clock clock) {
        this.merges = merges;
        this.completeness = completeness;
        this.maxMerges = config.maxMergesPerProfile();
        this.identifiers = identifiers;
        this.profiles = profiles;
        this.policy = policy;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** What resolving one request decided. */
    public record Resolution(UUID customerId, boolean created, List<Identifier> linked, List<Identifier> conflicting,
            List<Identifier> overLimit, List<UUID> merged) {
    }

    /** Reads what resolving these identifiers and checking these customer ids needs. */
    public Uni<Context> load(Collection<Identifier> wanted, Collection<UUID> customerIds) {
        List<ProfileIdentifier> candidates = wanted.stream().map(i -> ProfileIdentifier.of(i.type(), i.value(), null)).toList();
        return identifiers.findExisting(candidates).flatMap(held -> merges.survivorsOf(List.copyOf(customerIds))
                .flatMap(redirects -> {
                    Set<UUID> customers = new HashSet<>(customerIds);
                    customers.addAll(redirects.values());
                    held.forEach(h -> customers.add(h.customerId));
                    return profiles.statuses(customers).flatMap(statuses -> identifiers.countByCustomerAndType(statuses.keySet())
                            .flatMap(counts -> merges.mergeCounts(List.copyOf(statuses.keySet()))
                                    .map(mergeCounts -> new Context(held, statuses, counts, mergeCounts, redirects))));
                }));
    }

    /**
     * Runs the merges the context decided, in the current transaction; call it after everything else of the
     * request is written, so that the merges move it too.
     */
    public Uni<Void> mergePlanned(Context context, String actor) {
        return context.plannedMerges.isEmpty() ? Uni.createFrom().voidItem() : merges.merge(context.plannedMerges, actor);
    }

    /** Writes what the context created, in the current transaction. */
    public Uni<Void> persist(Context context) {
        List<OutboxEvent> registered = context.newProfiles.stream().map(p -> outbox.prepare(EventType.PROFILE_REGISTERED,
                p.id, new ProfileRegistered(p.id, p.createdAt, p.source, null, null, null))).toList();
        return profiles.insertProspects(context.newProfiles)
                .flatMap(ignored -> identifiers.insertAll(context.newIdentifiers))
                .flatMap(ignored -> completeness.refresh(context.newProfiles.stream().map(p -> p.id).toList()))
                .flatMap(ignored -> outbox.recordAll(registered));
    }

    /** The resolution state of one batch; not thread-safe, lives for one transaction. */
    public final class Context {
        private final Map<String, UUID> holders = new HashMap<>();
        private final Map<UUID, String> statuses;
        private final Map<UUID, Map<IdentifierType, Integer>> counts;
        private final Map<UUID, Integer> mergeCounts;
        private final Map<UUID, UUID> redirects;
        private final List<MergeService.Planned> plannedMerges = new ArrayList<>();
        private final List<Profile> newProfiles = new ArrayList<>();
        private final List<ProfileIdentifier> newIdentifiers = new ArrayList<>();

        private Context(List<ProfileIdentifier> held, Map<UUID, String> statuses, Map<UUID, Map<IdentifierType, Integer>> counts,
                Map<UUID, Integer> mergeCounts, Map<UUID, UUID> redirects) {
            held.forEach(h -> holders.put(new Identifier(h.type, h.value).key(), h.customerId));
            this.statuses = new HashMap<>(statuses);
            this.counts = counts;
            this.mergeCounts = new HashMap<>(mergeCounts);
            this.redirects = new HashMap<>(redirects);
        }

        /** The live customer behind this id (following merges), if any. */
        public java.util.Optional<UUID> live(UUID customerId) {
            UUID current = customerId;
            for (int hops = 0; hops < 20 && redirects.containsKey(current); hops++) {
                current = redirects.get(current);
            }
            return statuses.containsKey(current) ? java.util.Optional.of(current) : java.util.Optional.empty();
        }

        /**
         * @param usable normalised, unblocked identifiers; not empty
         * @param trigger what brought the identifiers together, for the merge lineage
         */
        public Resolution resolve(List<Identifier> usable, String source, String trigger) {
            List<Identifier> ordered = new ArrayList<>(usable);
            ordered.sort(policy.byPriority());
            Set<UUID> owners = new LinkedHashSet<>();
            Map<UUID, Identifier> linkedBy = new HashMap<>();
            for (Identifier identifier : ordered) {
                UUID holder = holders.get(identifier.key());
                if (holder != null) {
                    owners.add(holder);
                    linkedBy.putIfAbsent(holder, identifier);
                }
            }
            boolean created = owners.isEmpty();
            // the survivor: a registered customer before a prospect, then the holder of the most trusted identifier
            UUID customerId = created ? createProspect(source) : owners.stream()
                    .min(java.util.Comparator.comparingInt((UUID o) -> Profile.STATUS_REGISTERED.equals(statuses.get(o)) ? 0 : 1))
                    .orElseThrow();
            List<UUID> absorbed = new ArrayList<>();
            for (UUID other : owners) {
                if (!other.equals(customerId) && mergeCounts.getOrDefault(customerId, 0) < maxMerges) {
                    Identifier link = linkedBy.get(other);
                    plannedMerges.add(new MergeService.Planned(customerId, other, "identifier " + link.type().wireName()
                            + " shared; " + trigger));
                    mergeCounts.merge(customerId, 1, Integer::sum);
                    redirects.put(other, customerId);
                    holders.replaceAll((key, holder) -> holder.equals(other) ? customerId : holder);
                    Map<IdentifierType, Integer> moved = counts.getOrDefault(other, Map.of());
                    moved.forEach((type, n) -> counts.computeIfAbsent(customerId, c -> new EnumMap<>(IdentifierType.class))
                            .merge(type, n, Integer::sum));
                    statuses.remove(other);
                    absorbed.add(other);
                }
            }
            List<Identifier> linked = new ArrayList<>();
            List<Identifier> conflicting = new ArrayList<>();
            List<Identifier> overLimit = new ArrayList<>();
            for (Identifier identifier : ordered) {
                UUID holder = holders.get(identifier.key());
                if (holder == null) {
                    if (link(customerId, identifier)) {
                        linked.add(identifier);
                    } else {
                        overLimit.add(identifier);
                    }
                } else if (!holder.equals(customerId)) {
                    conflicting.add(identifier);
                }
            }
            return new Resolution(customerId, created, linked, conflicting, overLimit, absorbed);
        }

        private UUID createProspect(String source) {
            Instant now = Instant.now(clock);
            Profile profile = new Profile();
            profile.id = UUID.randomUUID();
            profile.status = Profile.STATUS_PROSPECT;
            profile.source = source;
            profile.sourceSystems = new ArrayList<>(List.of(source));
            profile.createdAt = now;
            profile.updatedAt = now;
            newProfiles.add(profile);
            statuses.put(profile.id, Profile.STATUS_PROSPECT);
            return profile.id;
        }

        private boolean link(UUID customerId, Identifier identifier) {
            Map<IdentifierType, Integer> held = counts.computeIfAbsent(customerId, c -> new EnumMap<>(IdentifierType.class));
            int count = held.getOrDefault(identifier.type(), 0);
            if (count >= policy.maxPerProfile(identifier.type())) {
                return false;
            }
            held.put(identifier.type(), count + 1);
            holders.put(identifier.key(), customerId);
            newIdentifiers.add(ProfileIdentifier.of(identifier.type(), identifier.value(), customerId));
            return true;
        }
    }
}
