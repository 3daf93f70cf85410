package io.custops.profile.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.custops.events.EventType;
import io.custops.events.payload.ConsentChanged;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.outbox.OutboxEvent;
import io.custops.platform.problem.ProblemException;
import io.custops.profile.domain.Consent;
import io.custops.profile.domain.ConsentRecord;
import io.custops.profile.repository.ConsentHistoryRepository;
import io.custops.profile.repository.ConsentRepository;
import io.custops.profile.repository.ProfileRepository;
import io.custops.profile.rest.dto.ConsentChange;
import io.custops.profile.rest.dto.ConsentDto;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Consent per channel and purpose. Every change is appended to the history with its source, proof, time and
 * author, and published as {@code ConsentChanged}; recording the consent already in force changes nothing.
 */
@ApplicationScoped
public class ConsentService {
    private final ConsentRepository consents;
    private final ConsentHistoryRepository history;
    private final ProfileRepository profiles;
    private final EventOutbox outbox;
    private final Clock clock;

    public ConsentService(ConsentRepository consents, ConsentHistoryRepository history, ProfileRepository profiles,
            EventOutbox outbox, Clock clock) {
        this.consents = consents;
        this.history = history;
        this.profiles = profiles;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** All twelve channel × purpose consents, {@code unknown} where none was ever recorded. */
    @WithSession
    public Uni<List<ConsentDto>> list(UUID customerId) {
        return requireProfile(customerId).flatMap(ignored -> current(customerId));
    }

    @WithTransaction
    public Uni<List<ConsentDto>> record(UUID customerId, List<ConsentChange> changes, String recordedBy, String defaultSource) {
        return requireProfile(customerId).flatMap(ignored -> consents.forCustomer(customerId)).flatMap(existing -> {
            Map<String, Consent> byKey = existing.stream().collect(Collectors.toMap(c -> c.channel + "/" + c.purpose,
                    Function.identity()));
            Instant now = Instant.now(clock);
            List<Consent> created = new ArrayList<>();
            List<ConsentRecord> records = new ArrayList<>();
            List<OutboxEvent> events = new ArrayList<>();
            for (ConsentChange change : changes) {
                String source = change.source() == null || change.source().isBlank() ? defaultSource : change.source().trim();
                Consent consent = byKey.get(change.channel() + "/" + change.purpose());
                if (consent != null && consent.status.equals(change.status())) {
                    continue;
                }
                if (consent == null) {
                    consent = new Consent();
                    consent.customerId = customerId;
                    consent.channel = change.channel();
                    consent.purpose = change.purpose();
                    created.add(consent);
                    byKey.put(change.channel() + "/" + change.purpose(), consent);
                }
                consent.status = change.status();
                consent.source = source;
                consent.proof = change.proof();
                consent.recordedAt = now;
                consent.recordedBy = recordedBy;
                records.add(historyOf(consent));
                events.add(outbox.prepare(EventType.CONSENT_CHANGED, customerId, new ConsentChanged(customerId,
                        consent.channel, consent.purpose, consent.status, source, now)));
            }
            Uni<Void> persistCreated = created.isEmpty() ? Uni.createFrom().voidItem() : consents.persist(created);
            return persistCreated
                    .flatMap(ignored -> records.isEmpty() ? Uni.createFrom().voidItem() : history.persist(records))
                    .flatMap(ignored -> outbox.recordAll(events))
                    .flatMap(ignored -> consents.flush())
                    .flatMap(ignored -> current(customerId));
        });
    }

    /** Newest first; pass the last id seen as {@code before} for the next page. */
    @WithSession
    public Uni<List<ConsentRecord>> history(UUID customerId, Long before, int limit) {
        return requireProfile(customerId).flatMap(ignored -> history.forCustomer(customerId, before, limit));
    }

    private Uni<List<ConsentDto>> current(UUID customerId) {
        return consents.forCustomer(customerId).map(found -> {
            Map<String, Consent> byKey = found.stream().collect(Collectors.toMap(c -> c.channel + "/" + c.purpose,
                    Function.identity()));
            List<ConsentDto> all = new ArrayList<>();
            for (String channel : Consent.CHANNELS) {
                for (String purpose : Consent.PURPOSES) {
                    Consent c = byKey.get(channel + "/" + purpose);
                    all.add(c == null ? new ConsentDto(channel, purpose, Consent.UNKNOWN, null, null, null, null)
                            : new ConsentDto(channel, purpose, c.status, c.source, c.proof, c.recordedAt, c.recordedBy));
                }
            }
            return all;
        });
    }

    private Uni<Void> requireProfile(UUID customerId) {
        return profiles.count("id", customerId).map(count -> {
            if (count == 0) {
                throw ProblemException.notFound("No customer " + customerId + ".");
            }
            return null;
        });
    }

    private static ConsentRecord historyOf(Consent c) {
        ConsentRecord record = new ConsentRecord();
        record.customerId = c.customerId;
        record.channel = c.channel;
        record.purpose = c.purpose;
        record.status = c.status;
        record.source = c.source;
        record.proof = c.proof;
        record.recordedAt = c.recordedAt;
        record.recordedBy = c.recordedBy;
        return record;
    }
}
