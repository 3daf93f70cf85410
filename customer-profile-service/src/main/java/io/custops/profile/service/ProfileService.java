package io.custops.profile.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.custops.events.EventType;
import io.custops.events.payload.ProfileRegistered;
import io.custops.events.payload.ProfileUpdated;
import io.custops.events.payload.TagsChanged.TagRef;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.Transactions;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.profile.domain.Address;
import io.custops.profile.domain.AttributeDefinition;
import io.custops.profile.domain.IdentifierType;
import io.custops.profile.domain.JsonColumns;
import io.custops.profile.domain.Profile;
import io.custops.profile.domain.ProfileIdentifier;
import io.custops.profile.repository.IdentifierRepository;
import io.custops.profile.repository.ProfileRepository;
import io.custops.profile.repository.ProfileTagRepository;
import io.custops.profile.rest.dto.IdentifierDto;
import io.custops.profile.rest.dto.IdentifyRequest;
import io.custops.profile.rest.dto.IdentifyResponse;
import io.custops.profile.rest.dto.ProfileResponse;
import io.custops.profile.rest.dto.RegisterProfileRequest;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Registers and reads customer profiles; every change publishes its event through the outbox. */
@ApplicationScoped
public class ProfileService {
    private final ProfileRepository profiles;
    private final IdentifierRepository identifiers;
    private final EventOutbox outbox;
    private final IdentifierPolicy policy;
    private final IdentityResolver resolver;
    private final AttributeSchemaService schema;
    private final ProfilePatcher patcher;
    private final ProfileTagRepository tags;
    private final MergeService merges;
    private final Clock clock;

    public ProfileService(ProfileRepository profiles, IdentifierRepository identifiers, EventOutbox outbox,
            IdentifierPolicy policy, IdentityResolver resolver, AttributeSchemaService schema, ProfilePatcher patcher,
            ProfileTagRepository tags, MergeService merges, Clock clock) {
        this.merges = merges;
        this.profiles = profiles;
        this.identifiers = identifiers;
        this.outbox = outbox;
        this.policy = policy;
        this.resolver = resolver;
        this.schema = schema;
        this.patcher = patcher;
        this.tags = tags;
        this.clock = clock;
    }

    /**
     * Creates a profile holding the given identifiers and publishes {@code ProfileRegistered}. An identifier
     * that already belongs to a profile is refused with 409 naming that customer (merging is a later feature).
     */
    public Uni<ProfileView> register(RegisterProfileRequest request) {
        return Transactions.withRetriedTransaction(() -> registerInTransaction(request));
    }

    private Uni<ProfileView> registerInTransaction(RegisterProfileRequest request) {
        UUID customerId = UUID.randomUUID();
        List<ProfileIdentifier> wanted = new ArrayList<>(normalise(request.identifiers(), customerId));
        return identifiers.findExisting(wanted).flatMap(existing -> schema.byName().flatMap(definitions -> {
            if (!existing.isEmpty()) {
                ProfileIdentifier taken = existing.get(0);
                throw ProblemException.conflict("The " + taken.type.wireName() + " identifier already belongs to customer "
                        + taken.customerId + ".");
            }
            Instant now = Instant.now(clock);
            Profile profile = new Profile();
            profile.id = customerId;
            profile.source = request.source().trim();
            profile.registrationChannel = request.registrationChannel();
            profile.firstName = request.firstName();
            profile.lastName = request.lastName();
            profile.locale = request.locale();
            profile.region = request.region();
            profile.birthday = request.birthday();
            profile.sourceSystems = new ArrayList<>(List.of(profile.source));
            profile.createdAt = now;
            profile.updatedAt = now;
            profile.completeness = Completeness.of(profile, wanted, definitions.values());
            return profiles.persist(profile)
                    .flatMap(saved -> identifiers.persist(wanted))
                    .flatMap(ignored -> outbox.record(EventType.PROFILE_REGISTERED, customerId,
                            new ProfileRegistered(customerId, now, profile.source, profile.registrationChannel,
                                    profile.locale, profile.region, ProfileUpdated.monthDay(profile.birthday))))
                    .replaceWith(new ProfileView(profile, wanted, definitions, List.of()));
        }));
    }

    @WithSession
    public Uni<ProfileView> get(UUID customerId) {
        return load(customerId);
    }

    private Uni<ProfileView> load(UUID customerId) {
        return profiles.findById(customerId).flatMap(profile -> {
            if (profile == null) {
                return merges.survivorsOf(List.of(customerId)).<ProfileView>map(survivors -> {
                    UUID survivor = survivors.get(customerId);
                    throw ProblemException.notFound(survivor == null ? "No customer " + customerId + "."
                            : "Customer " + customerId + " was merged into " + survivor + ".");
                });
            }
            return identifiers.forCustomer(customerId).flatMap(ids -> schema.byName()
                    .flatMap(definitions -> tags.of(List.of(customerId)).map(byCustomer ->
                            new ProfileView(profile, ids, definitions, byCustomer.getOrDefault(customerId, List.of())))));
        });
    }

    /**
     * Applies a JSON merge patch when the profile is still at {@code expectedVersion} (from If-Match), and
     * publishes {@code ProfileUpdated} with the changed field names.
     */
    @WithTransaction
    public Uni<ProfileView> patch(UUID customerId, long expectedVersion, JsonNode mergePatch, Set<String> allowedFields) {
        return load(customerId).flatMap(view -> {
            Profile profile = view.profile();
            if (profile.version != expectedVersion) {
                throw new ProblemException(412, "Precondition Failed", "The profile is at version " + profile.version
                        + ", not " + expectedVersion + ": read it again and reapply your change.");
            }
            profile.attributes = new LinkedHashMap<>(profile.attributes);
            Set<String> changed = patcher.apply(profile, mergePatch, view.schema(), allowedFields);
            profile.attributes = JsonColumns.normalise(profile.attributes);
            if (changed.isEmpty()) {
                return Uni.createFrom().item(view);
            }
            profile.updatedAt = Instant.now(clock);
            profile.completeness = Completeness.of(profile, view.identifiers(), view.schema().values());
            return outbox.record(EventType.PROFILE_UPDATED, customerId, new ProfileUpdated(customerId,
                    List.copyOf(changed), profile.completeness, profile.updatedAt,
                    changed.contains("birthday") ? ProfileUpdated.monthDay(profile.birthday) : null))
                    .flatMap(ignored -> profiles.flush())
                    .replaceWith(view);
        });
    }

    @WithSession
    public Uni<Boolean> exists(UUID customerId) {
        return profiles.count("id", customerId).map(count -> count > 0);
    }

    private List<ProfileIdentifier> normalise(List<IdentifierDto> raw, UUID customerId) {
        IdentifierPolicy.Normalised normalised = policy.normalise(raw, "identifiers");
        List<Problem.FieldError> errors = new ArrayList<>(normalised.errors());
        normalised.blocked().forEach(blocked -> errors.add(new Problem.FieldError("identifiers",
                "'" + blocked.value() + "' is a placeholder value that never identifies anyone")));
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("Some identifiers are invalid.", errors);
        }
        return normalised.usable().stream().map(i -> ProfileIdentifier.of(i.type(), i.value(), customerId)).toList();
    }

    /**
     * Resolves identifiers to one customer, creating a prospect when none matches; identifiers not held yet are
     * linked to that customer within the per-type limits.
     */
    public Uni<IdentifyResponse> identify(IdentifyRequest request, String actor) {
        return Transactions.withRetriedTransaction(() -> identifyInTransaction(request, actor));
    }

    private Uni<IdentifyResponse> identifyInTransaction(IdentifyRequest request, String actor) {
        IdentifierPolicy.Normalised normalised = policy.normalise(request.identifiers(), "identifiers");
        if (!normalised.errors().isEmpty()) {
            throw ProblemException.badRequest("Some identifiers are invalid.", normalised.errors());
        }
        if (normalised.usable().isEmpty()) {
            throw ProblemException.badRequest("No usable identifier: placeholder values such as 'anonymous' or '-1' "
                    + "never identify anyone.", List.of(new Problem.FieldError("identifiers", "holds no usable identifier")));
        }
        return resolver.load(normalised.usable(), List.of()).flatMap(context -> {
            IdentityResolver.Resolution resolution = context.resolve(normalised.usable(), request.source(),
                    "identify call from " + request.source());
            List<IdentifyResponse.Ignored> ignored = new ArrayList<>();
            normalised.blocked().forEach(b -> ignored.add(new IdentifyResponse.Ignored(b.type(), "blocked placeholder value")));
            resolution.overLimit().forEach(i -> ignored.add(new IdentifyResponse.Ignored(i.type().wireName(),
                    "the customer already holds the maximum number of " + i.type().wireName() + " identifiers")));
            resolution.conflicting().forEach(i -> ignored.add(new IdentifyResponse.Ignored(i.type().wireName(),
                    "held by another customer that could not be merged (merge cap reached)")));
            IdentifyResponse response = new IdentifyResponse(resolution.customerId(), resolution.created(),
                    resolution.linked().stream().map(i -> i.type().wireName()).toList(), ignored, resolution.merged());
            return resolver.persist(context).flatMap(x -> resolver.mergePlanned(context, actor))
                    .replaceWith(response);
        });
    }

    /** A profile with its identifiers and the custom attribute schema, before any masking. */
    public record ProfileView(Profile profile, List<ProfileIdentifier> identifiers, Map<String, AttributeDefinition> schema,
            List<TagRef> tags) {
        public ProfileResponse toResponse(boolean unmasked) {
            Profile p = profile;
            List<IdentifierDto> ids = identifiers.stream()
                    .map(i -> new IdentifierDto(i.type.wireName(), unmasked ? i.value : PiiMasking.identifier(i.type, i.value)))
                    .toList();
            Map<String, Object> attributes = new LinkedHashMap<>();
            p.attributes.forEach((name, value) -> {
                AttributeDefinition definition = schema.get(name);
                attributes.put(name, unmasked || definition == null || !definition.pii ? value : "***");
            });
            List<Address> addresses = unmasked ? p.addresses : p.addresses.stream().map(PiiMasking::address).toList();
            return new ProfileResponse(p.id, p.version, p.status, p.source, p.sourceSystems, p.registrationChannel,
                    unmasked ? p.firstName : PiiMasking.name(p.firstName),
                    unmasked ? p.lastName : PiiMasking.name(p.lastName), p.gender, p.birthday, p.locale, p.timeZone,
                    p.region, first(ids, IdentifierType.EMAIL), first(ids, IdentifierType.PHONE), addresses, attributes,
                    ids, tags, Completeness.of(p, identifiers, schema.values()), p.createdAt, p.updatedAt);
        }

        private static String first(List<IdentifierDto> ids, IdentifierType type) {
            return ids.stream().filter(i -> i.type().equals(type.wireName())).map(IdentifierDto::value).findFirst().orElse(null);
        }
    }
}
