package io.custops.profile.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.events.EventType;
import io.custops.events.payload.ProfileRegistered;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.profile.domain.IdentifierType;
import io.custops.profile.domain.Profile;
import io.custops.profile.domain.ProfileIdentifier;
import io.custops.profile.repository.IdentifierRepository;
import io.custops.profile.repository.ProfileRepository;
import io.custops.profile.rest.dto.IdentifierDto;
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
    private final Clock clock;

    public ProfileService(ProfileRepository profiles, IdentifierRepository identifiers, EventOutbox outbox, Clock clock) {
        this.profiles = profiles;
        this.identifiers = identifiers;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Creates a profile holding the given identifiers and publishes {@code ProfileRegistered}. An identifier
     * that already belongs to a profile is refused with 409 naming that customer (merging is a later feature).
     */
    @WithTransaction
    public Uni<ProfileView> register(RegisterProfileRequest request) {
        UUID customerId = UUID.randomUUID();
        List<ProfileIdentifier> wanted = normalise(request.identifiers(), customerId);
        return identifiers.findExisting(wanted).flatMap(existing -> {
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
            profile.createdAt = now;
            profile.updatedAt = now;
            return profiles.persist(profile)
                    .flatMap(saved -> identifiers.persist(wanted))
                    .flatMap(ignored -> outbox.record(EventType.PROFILE_REGISTERED, customerId,
                            new ProfileRegistered(customerId, now, profile.source, profile.registrationChannel,
                                    profile.locale, profile.region)))
                    .replaceWith(new ProfileView(profile, wanted));
        });
    }

    @WithSession
    public Uni<ProfileView> get(UUID customerId) {
        return profiles.findById(customerId).flatMap(profile -> {
            if (profile == null) {
                throw ProblemException.notFound("No customer " + customerId + ".");
            }
            return identifiers.forCustomer(customerId).map(ids -> new ProfileView(profile, ids));
        });
    }

    @WithSession
    public Uni<Boolean> exists(UUID customerId) {
        return profiles.count("id", customerId).map(count -> count > 0);
    }

    private static List<ProfileIdentifier> normalise(List<IdentifierDto> raw, UUID customerId) {
        Map<String, ProfileIdentifier> unique = new LinkedHashMap<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            IdentifierDto dto = raw.get(i);
            IdentifierType type;
            try {
                type = IdentifierType.fromWire(dto.type());
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("identifiers[" + i + "].type", "is not one of email, phone, crm_id, "
                        + "erp_id, wechat_unionid, wechat_openid, device_id, member_card"));
                continue;
            }
            try {
                String value = type.normalise(dto.value());
                unique.putIfAbsent(type + ":" + value, ProfileIdentifier.of(type, value, customerId));
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("identifiers[" + i + "].value", e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("Some identifiers are invalid.", errors);
        }
        return new ArrayList<>(unique.values());
    }

    /** A profile with its identifiers, before any masking. */
    public record ProfileView(Profile profile, List<ProfileIdentifier> identifiers) {
        public ProfileResponse toResponse(boolean unmasked) {
            Profile p = profile;
            List<IdentifierDto> ids = identifiers.stream()
                    .map(i -> new IdentifierDto(i.type.wireName(), unmasked ? i.value : PiiMasking.identifier(i.type, i.value)))
                    .toList();
            return new ProfileResponse(p.id, p.version, p.source, p.registrationChannel,
                    unmasked ? p.firstName : PiiMasking.name(p.firstName),
                    unmasked ? p.lastName : PiiMasking.name(p.lastName), p.locale, p.region, ids, p.createdAt, p.updatedAt);
        }
    }
}
