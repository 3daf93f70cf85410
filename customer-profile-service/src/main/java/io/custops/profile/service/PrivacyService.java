package io.custops.profile.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.events.EventType;
import io.custops.events.payload.ProfileErased;
import io.custops.platform.audit.AuditLog;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.ProblemException;
import io.custops.profile.domain.ActivityEvent;
import io.custops.profile.repository.ActivityEventRepository;
import io.custops.profile.repository.ConsentHistoryRepository;
import io.custops.profile.rest.dto.ConsentHistoryItem;
import io.custops.profile.rest.dto.ProfileExport;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The data-subject rights of PIPL and GDPR: a copy of everything held (export) and erasure. Erasure deletes the
 * profile with its identifiers, consents and tags, blanks the free text and consent proofs that stay in
 * anonymised history, records who erased whom, and publishes {@code ProfileErased} so every service follows.
 * Both are audited.
 */
@ApplicationScoped
public class PrivacyService {
    private final ProfileService profiles;
    private final ConsentService consents;
    private final ConsentHistoryRepository consentHistory;
    private final ActivityEventRepository activities;
    private final EventOutbox outbox;
    private final AuditLog audit;
    private final ObjectMapper mapper;
    private final Clock clock;

    public PrivacyService(ProfileService profiles, ConsentService consents, ConsentHistoryRepository consentHistory,
            ActivityEventRepository activities, EventOutbox outbox, AuditLog audit, ObjectMapper mapper, Clock clock) {
        this.profiles = profiles;
        this.consents = consents;
        this.consentHistory = consentHistory;
        this.activities = activities;
        this.outbox = outbox;
        this.audit = audit;
        this.mapper = mapper;
        this.clock = clock;
    }

    @WithSession
    public Uni<ProfileExport> export(UUID customerId, String actor) {
        return profiles.get(customerId).flatMap(view -> consents.list(customerId)
                .flatMap(current -> consentHistory.forCustomer(customerId, null, Integer.MAX_VALUE)
                        .flatMap(history -> activities.find("customerId = ?1 order by occurredAt desc", customerId)
                                .page(Page.ofSize(ProfileExport.ACTIVITY_LIMIT + 1)).list()
                                .map(found -> new ProfileExport(Instant.now(clock), view.toResponse(true), current,
                                        history.stream().map(ConsentHistoryItem::of).toList(),
                                        found.stream().limit(ProfileExport.ACTIVITY_LIMIT).map(this::activity).toList(),
                                        found.size() > ProfileExport.ACTIVITY_LIMIT)))))
                .call(export -> audit.record(actor, AuditLog.EXPORT, customerId, null));
    }

    /** @return true when erased now, false when the person had already been erased (idempotent) */
    public Uni<Boolean> erase(UUID customerId, String actor) {
        return Panache.withTransaction(() -> eraseInTransaction(customerId, actor))
                .call(erased -> erased ? audit.record(actor, AuditLog.ERASURE, customerId, null) : Uni.createFrom().voidItem());
    }

    private Uni<Boolean> eraseInTransaction(UUID customerId, String actor) {
        return NativeSql.single("SELECT count(*) FROM erasure WHERE customer_id = :id", Long.class, Map.of("id", customerId)).flatMap(already -> {
            if (already > 0) {
                return Uni.createFrom().item(false);
            }
            return NativeSql.single("SELECT count(*) FROM profile WHERE id = :id", Long.class, Map.of("id", customerId)).flatMap(exists -> {
                if (exists == 0) {
                    throw ProblemException.notFound("No customer " + customerId + ".");
                }
                Instant now = Instant.now(clock);
                return NativeSql.execute("UPDATE consent_history SET proof = NULL, recorded_by = 'erased' WHERE customer_id = :id",
                        Map.of("id", customerId))
                        .flatMap(x -> NativeSql.execute("UPDATE activity_event SET comment = NULL WHERE customer_id = :id",
                                Map.of("id", customerId)))
                        // identifiers, consents and tags go with the profile (ON DELETE CASCADE)
                        .flatMap(x -> NativeSql.execute("DELETE FROM profile WHERE id = :id", Map.of("id", customerId)))
                        .flatMap(x -> NativeSql.execute("INSERT INTO erasure (customer_id, erased_at, erased_by) VALUES (:id, :at, :by)",
                                Map.of("id", customerId, "at", now, "by", actor)))
                        .flatMap(x -> outbox.record(EventType.PROFILE_ERASED, customerId, new ProfileErased(customerId, now)))
                        .replaceWith(true);
            });
        });
    }

    private ProfileExport.Activity activity(ActivityEvent e) {
        JsonNode data;
        try {
            data = mapper.readTree(e.data);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored activity is not JSON", ex);
        }
        return new ProfileExport.Activity(e.eventId, e.type, e.occurredAt, e.receivedAt, data, e.comment);
    }


}
