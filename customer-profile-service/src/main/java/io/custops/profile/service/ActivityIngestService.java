package io.custops.profile.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.events.EventType;
import io.custops.events.payload.ComplaintResolved;
import io.custops.events.payload.FeedbackSubmitted;
import io.custops.events.payload.InteractionRecorded;
import io.custops.events.payload.Money;
import io.custops.events.payload.OrderPlaced;
import io.custops.events.payload.OrderRefunded;
import io.custops.events.payload.ProfileUpdated;
import io.custops.platform.idempotency.IdempotencyStore;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.outbox.OutboxEvent;
import io.custops.platform.persistence.Transactions;
import io.custops.platform.problem.Problem;
import io.custops.profile.domain.ActivityEvent;
import io.custops.profile.repository.ActivityEventRepository;
import io.custops.profile.repository.ProfileRepository;
import io.custops.profile.rest.dto.ComplaintResolvedData;
import io.custops.profile.rest.dto.FeedbackData;
import io.custops.profile.rest.dto.IngestEvent;
import io.custops.profile.rest.dto.IngestResult;
import io.custops.profile.rest.dto.InteractionData;
import io.custops.profile.rest.dto.MoneyDto;
import io.custops.profile.rest.dto.OrderLine;
import io.custops.profile.rest.dto.OrderPlacedData;
import io.custops.profile.rest.dto.OrderRefundedData;
import io.custops.profile.service.ActivityEventParser.Parsed;
import io.custops.profile.service.ActivityEventParser.Rejected;
import io.custops.profile.service.ActivityEventParser.Valid;
import io.custops.profile.service.IdentifierPolicy.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ingests a batch of activity events in one transaction, set-based: one query finds the events seen before,
 * three resolve every identifier of the batch; then the new prospects, identifiers, activity rows and outbox
 * events are written in batched inserts. Each item's outcome is reported: accepted, duplicate (same source
 * and event id as before, nothing published again) or rejected (with the problem).
 */
@ApplicationScoped
public class ActivityIngestService {
    private final ActivityEventRepository activities;
    private final ProfileRepository profiles;
    private final IdentityResolver resolver;
    private final EventOutbox outbox;
    private final IdempotencyStore idempotency;
    private final ObjectMapper mapper;
    private final Clock clock;

    public ActivityIngestService(ActivityEventRepository activities, ProfileRepository profiles, IdentityResolver resolver, EventOutbox outbox,
            IdempotencyStore idempotency, ObjectMapper mapper, Clock clock) {
        this.activities = activities;
        this.profiles = profiles;
        this.resolver = resolver;
        this.outbox = outbox;
        this.idempotency = idempotency;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A response body ready to send, and whether it is the replay of an earlier request with the same key. */
    public record Reply(int status, String json, boolean replayed) {
    }

    /**
     * Ingests the batch in one transaction. With an Idempotency-Key, a repeat of the same request gets the first
     * response back and changes nothing; without one, per-event deduplication still makes a repeat harmless.
     */
    public Uni<Reply> ingest(String scope, Optional<String> idempotencyKey, String requestHash, List<Parsed> items) {
        return Transactions.withRetriedTransaction(() -> ingestInTransaction(scope, idempotencyKey, requestHash, items));
    }

    private Uni<Reply> ingestInTransaction(String scope, Optional<String> idempotencyKey, String requestHash,
            List<Parsed> items) {
        if (idempotencyKey.isEmpty()) {
            return ingest(items, scope).map(result -> new Reply(200, json(result), false));
        }
        String key = idempotencyKey.get();
        return idempotency.find(scope, key, requestHash).flatMap(stored -> {
            if (stored.isPresent()) {
                return Uni.createFrom().item(new Reply(stored.get().status(), stored.get().body(), true));
            }
            return ingest(items, scope).flatMap(result -> {
                String body = json(result);
                return idempotency.save(scope, key, requestHash, 200, body).replaceWith(new Reply(200, body, false));
            });
        });
    }

    private String json(IngestResult result) {
        try {
            return mapper.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs inside the caller's transaction (also used by bulk imports). */
    public Uni<IngestResult> ingest(List<Parsed> items, String actor) {
        List<Valid> valid = items.stream().filter(Valid.class::isInstance).map(Valid.class::cast).toList();
        Set<String> keys = new HashSet<>();
        Set<Identifier> identifiers = new HashSet<>();
        Set<UUID> customerIds = new HashSet<>();
        for (Valid item : valid) {
            keys.add(dedupKey(item.event()));
            identifiers.addAll(item.usable());
            if (item.event().customerId() != null) {
                customerIds.add(item.event().customerId());
            }
        }
        return activities.findByDedupKeys(keys).flatMap(seen -> resolver.load(identifiers, customerIds)
                .flatMap(context -> apply(items, seen, context, actor)));
    }

    private Uni<IngestResult> apply(List<Parsed> items, List<ActivityEvent> seen, IdentityResolver.Context context,
            String actor) {
        Map<String, ActivityEvent> known = new HashMap<>();
        seen.forEach(event -> known.put(event.dedupKey, event));
        Instant now = Instant.now(clock);
        List<IngestResult.Item> results = new ArrayList<>(items.size());
        List<ActivityEvent> newActivities = new ArrayList<>();
        List<OutboxEvent> newEvents = new ArrayList<>();
        Set<Map<String, Object>> sources = new HashSet<>();
        int accepted = 0;
        int duplicates = 0;
        for (Parsed parsed : items) {
            if (parsed instanceof Rejected rejected) {
                results.add(rejected(rejected.index(), rejected.eventId(), rejected.problem()));
                continue;
            }
            Valid item = (Valid) parsed;
            IngestEvent event = item.event();
            ActivityEvent earlier = known.get(dedupKey(event));
            if (earlier != null) {
                duplicates++;
                results.add(new IngestResult.Item(item.index(), event.eventId(), "duplicate", earlier.eventId,
                        earlier.customerId, null, null));
                continue;
            }
            Optional<Resolved> resolved = resolve(item, context);
            if (resolved.isEmpty()) {
                results.add(rejected(item.index(), event.eventId(), new Problem(java.net.URI.create("about:blank"), "Not Found", 404,
                        "No customer " + event.customerId() + ": register the profile first, or send identifiers.",
                        null, List.of())));
                continue;
            }
            UUID customerId = resolved.get().customerId();
            OutboxEvent published = outbox.prepare(eventType(event.type()), customerId,
                    payload(event, item.data(), customerId));
            ActivityEvent activity = new ActivityEvent();
            activity.eventId = published.eventId;
            activity.dedupKey = dedupKey(event);
            activity.type = event.type();
            activity.customerId = customerId;
            activity.occurredAt = event.occurredAt();
            activity.receivedAt = now;
            activity.data = published.data;
            activity.comment = item.data() instanceof FeedbackData feedback ? feedback.comment() : null;
            newActivities.add(activity);
            newEvents.add(published);
            sources.add(Map.of("customer_id", customerId, "source", event.source()));
            known.put(activity.dedupKey, activity);
            accepted++;
            results.add(new IngestResult.Item(item.index(), event.eventId(), "accepted", activity.eventId, customerId,
                    resolved.get().created() ? Boolean.TRUE : null, null));
        }
        int rejectedCount = items.size() - accepted - duplicates;
        IngestResult result = new IngestResult(accepted, duplicates, rejectedCount, results);
        return resolver.persist(context)
                .flatMap(ignored -> activities.insertAll(newActivities))
                .flatMap(ignored -> outbox.recordAll(newEvents))
                .flatMap(ignored -> profiles.addSourceSystems(List.copyOf(sources), now))
                .flatMap(this::publishSourceSystemsChanged)
                .flatMap(ignored -> resolver.mergePlanned(context, actor))
                .replaceWith(result);
    }

    /** ProfileUpdated for the customers this batch showed in a source system they had not come from before. */
    private Uni<Void> publishSourceSystemsChanged(List<ProfileRepository.Updated> updated) {
        return outbox.recordAll(updated.stream().map(u -> outbox.prepare(EventType.PROFILE_UPDATED, u.id(),
                new ProfileUpdated(u.id(), List.of("sourceSystems"), u.completeness(), u.updatedAt()))).toList());
    }

    private record Resolved(UUID customerId, boolean created) {
    }

    private static Optional<Resolved> resolve(Valid item, IdentityResolver.Context context) {
        UUID given = item.event().customerId();
        if (given != null) {
            return context.live(given).map(live -> new Resolved(live, false));
        }
        IdentityResolver.Resolution resolution = context.resolve(item.usable(), item.event().source(),
                "ingested event " + item.event().source() + ":" + item.event().eventId());
        return Optional.of(new Resolved(resolution.customerId(), resolution.created()));
    }

    private static IngestResult.Item rejected(int index, String eventId, Problem problem) {
        return new IngestResult.Item(index, eventId, "rejected", null, null, null, problem);
    }

    private static String dedupKey(IngestEvent event) {
        return ActivityEvent.dedupKey(event.source(), event.eventId());
    }

    private static EventType eventType(String type) {
        return switch (type) {
            case "OrderPlaced" -> EventType.ORDER_PLACED;
            case "OrderRefunded" -> EventType.ORDER_REFUNDED;
            case "InteractionRecorded" -> EventType.INTERACTION_RECORDED;
            case "FeedbackSubmitted" -> EventType.FEEDBACK_SUBMITTED;
            case "ComplaintResolved" -> EventType.COMPLAINT_RESOLVED;
            default -> throw new IllegalArgumentException("unsupported type " + type);
        };
    }

    /** The published data: the contract's payload record, never the comment or other PII. */
    private static Object payload(IngestEvent e, Object data, UUID customer) {
        if (data instanceof OrderPlacedData d) {
            return new OrderPlaced(customer, d.orderId(), e.occurredAt(), money(d.total()), e.channel(), d.store(),
                    e.source(), items(d.lines()), d.couponCodes() == null || d.couponCodes().isEmpty() ? null
                            : d.couponCodes().stream().distinct().toList());
        }
        if (data instanceof OrderRefundedData d) {
            return new OrderRefunded(customer, d.orderId(), d.refundId(), e.occurredAt(), money(d.amount()), d.reason(),
                    e.source(), items(d.lines()));
        }
        if (data instanceof InteractionData d) {
            return new InteractionRecorded(customer, e.eventId(), d.interactionType(), e.occurredAt(), e.channel(),
                    e.source(), d.properties());
        }
        if (data instanceof FeedbackData d) {
            return new FeedbackSubmitted(customer, d.feedbackId(), d.kind(), d.score(), d.category(), e.occurredAt(),
                    e.channel(), e.source());
        }
        if (data instanceof ComplaintResolvedData d) {
            return new ComplaintResolved(customer, d.complaintId(), e.occurredAt(), d.resolution(), e.source());
        }
        throw new IllegalArgumentException("unsupported data " + data.getClass());
    }

    private static List<OrderPlaced.Item> items(List<OrderLine> lines) {
        return lines == null ? null : lines.stream()
                .map(l -> new OrderPlaced.Item(l.sku(), l.category(), l.quantity(), money(l.unitPrice()))).toList();
    }

    private static Money money(MoneyDto dto) {
        return Money.of(dto.value(), dto.currency());
    }
}
