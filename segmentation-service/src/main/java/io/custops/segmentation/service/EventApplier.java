package io.custops.segmentation.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.custops.events.EventType;
import io.custops.events.payload.ComplaintResolved;
import io.custops.events.payload.FeedbackSubmitted;
import io.custops.events.payload.InteractionRecorded;
import io.custops.events.payload.OrderPlaced;
import io.custops.events.payload.OrderRefunded;
import io.custops.events.payload.ProfileErased;
import io.custops.events.payload.ProfileRegistered;
import io.custops.events.payload.ProfileUpdated;
import io.custops.events.payload.ProfilesMerged;
import io.custops.events.payload.TagsChanged;
import io.custops.platform.consumer.IncomingEvent;
import io.custops.platform.persistence.NativeSql;
import io.custops.segmentation.scoring.CustomerScope;
import io.custops.segmentation.scoring.Rollups;
import io.custops.segmentation.scoring.Scorer;
import io.custops.segmentation.scoring.ScoringModels;
import io.custops.segmentation.segments.SegmentMembership;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies a consumed batch of profile or activity events in the consumer's transaction, set-based: the batch's
 * facts go in with one statement per kind (a fact already stored is skipped, so redelivery changes nothing), then
 * the rollups, scores and segment memberships of the customers whose facts changed are recomputed with one
 * statement each (one per rule segment for membership). Merges and
 * erasures are applied where they stand in the batch, between the facts before and after them.
 * <p>
 * Profile and activity events travel on different topics, so an activity event may arrive after its customer was
 * merged or erased: facts for a merged id are stored under its survivor, those for an erased customer dropped.
 */
@ApplicationScoped
public class EventApplier {
    /** Fact tables and their keys within a customer: what a merge moves and an erasure deletes. */
    private static final Map<String, String> CUSTOMER_TABLES = Map.of("order_fact", "order_id", "refund_fact", "refund_id",
            "interaction_fact", "interaction_id", "feedback_fact", "feedback_id", "complaint_resolution", "complaint_id",
            "customer_tag", "tag_group, tag");

    private final Rollups rollups;
    private final Scorer scorer;
    private final ScoringModels models;
    private final SegmentMembership segments;
    private final Clock clock;

    public EventApplier(Rollups rollups, Scorer scorer, ScoringModels models, SegmentMembership segments, Clock clock) {
        this.rollups = rollups;
        this.scorer = scorer;
        this.models = models;
        this.segments = segments;
        this.clock = clock;
    }

    public Uni<Void> apply(List<IncomingEvent> events) {
        Instant now = Instant.now(clock);
        Set<UUID> touched = new LinkedHashSet<>();
        Pending pending = new Pending();
        Uni<Void> chain = models.ensure(now);
        for (IncomingEvent event : events) {
            EventType type = EventType.fromType(event.type()).orElse(null);
            if (type == null) {
                continue;
            }
            switch (type) {
                case PROFILE_REGISTERED -> pending.registered(event.data(ProfileRegistered.class));
                case TAGS_CHANGED -> pending.tags(event.data(TagsChanged.class));
                case PROFILE_UPDATED -> pending.updated(event.data(ProfileUpdated.class));
                case ORDER_PLACED -> pending.order(event.data(OrderPlaced.class));
                case ORDER_REFUNDED -> pending.refund(event.data(OrderRefunded.class));
                case INTERACTION_RECORDED -> pending.interaction(event.data(InteractionRecorded.class));
                case FEEDBACK_SUBMITTED -> pending.feedback(event.data(FeedbackSubmitted.class));
                case COMPLAINT_RESOLVED -> pending.resolution(event.data(ComplaintResolved.class));
                case PROFILES_MERGED -> {
                    ProfilesMerged merged = event.data(ProfilesMerged.class);
                    Pending before = pending;
                    pending = new Pending();
                    chain = chain.flatMap(x -> store(before, now, touched))
                            .flatMap(x -> segments.leaveAll(merged.mergedId(), now, "merge"))
                            .flatMap(x -> merge(merged, touched));
                }
                case PROFILE_ERASED -> {
                    UUID erased = event.data(ProfileErased.class).customerId();
                    Pending before = pending;
                    pending = new Pending();
                    chain = chain.flatMap(x -> store(before, now, touched)).flatMap(x -> erase(erased, touched));
                }
                default -> {
                }
            }
        }
        Pending last = pending;
        return chain.flatMap(x -> store(last, now, touched))
                .flatMap(x -> rollups.refresh(CustomerScope.of(touched), now))
                .flatMap(x -> scorer.score(CustomerScope.of(touched), now))
                .flatMap(x -> segments.evaluateAll(CustomerScope.of(touched), now, "event"))
                .replaceWithVoid();
    }

    /** Stores the pending facts; the customers whose stored facts changed join {@code touched}. */
    private Uni<Void> store(Pending p, Instant now, Set<UUID> touched) {
        return registrations(p.registrations, now).invoke(touched::addAll)
                .flatMap(x -> insertFacts("order_fact", p.orders)).invoke(touched::addAll)
                .flatMap(x -> insertFacts("refund_fact", p.refunds)).invoke(touched::addAll)
                .flatMap(x -> insertFacts("interaction_fact", p.interactions)).invoke(touched::addAll)
                .flatMap(x -> insertFacts("feedback_fact", p.feedback)).invoke(touched::addAll)
                .flatMap(x -> insertFacts("complaint_resolution", p.resolutions)).invoke(touched::addAll)
                .flatMap(x -> tags(p.tags)).invoke(touched::addAll)
                .flatMap(x -> birthdays(p.birthdays, now)).invoke(touched::addAll)
                .replaceWithVoid();
    }

    /** The customer a row of {@link #rows} belongs to: the survivor when its id was merged. */
    private static final String OWNER = "coalesce(m.survivor_id, r.customer_id)";

    /**
     * The rows of the JSON parameter {@code :rows} as a {@code table} row source {@code r} (with {@code ordinality}),
     * joined to the merge redirects ({@code m}) and without erased customers: late events follow merges and never
     * bring an erased customer back.
     */
    private static String rows(String table) {
        return "FROM jsonb_populate_recordset(NULL::" + table + ", CAST(CAST(:rows AS text) AS jsonb)) WITH ORDINALITY r"
                + " LEFT JOIN merged_customer m ON m.merged_id = r.customer_id"
                + " WHERE NOT EXISTS (SELECT 1 FROM erased_customer e WHERE e.customer_id = " + OWNER + ")";
    }

    /** Inserts facts (rows keyed by column name), redirected from merged ids and without erased customers. */
    private static Uni<List<UUID>> insertFacts(String table, List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> columns = new ArrayList<>(rows.get(0).keySet());
        columns.remove("customer_id");
        String values = columns.stream().map(c -> "r." + c).reduce((a, b) -> a + ", " + b).orElseThrow();
        return NativeSql.list("""
                INSERT INTO %1$s (customer_id, %2$s)
                SELECT %3$s, %4$s
                %5$s
                ORDER BY 1
                ON CONFLICT DO NOTHING
                RETURNING customer_id""".formatted(table, String.join(", ", columns), OWNER, values, rows(table)), UUID.class,
                Map.of("rows", NativeSql.json(rows)));
    }

    /** Registration attributes: the earliest registration wins, later values fill what is missing. */
    private static Uni<List<UUID>> registrations(Map<UUID, Map<String, Object>> rows, Instant now) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return NativeSql.list("""
                INSERT INTO customer_score AS s (customer_id, version, lifecycle_stage, updated_at, registered_at, region,
                    locale, registration_channel, registration_source, birthday)
                SELECT DISTINCT ON (%1$s) %1$s, 0,
                       'ACQUISITION', CAST(:now AS timestamptz), r.registered_at, r.region, r.locale, r.registration_channel,
                       r.registration_source, r.birthday
                %2$s
                ORDER BY %1$s, r.registered_at
                ON CONFLICT (customer_id) DO UPDATE SET
                    registered_at = least(s.registered_at, EXCLUDED.registered_at),
                    region = coalesce(s.region, EXCLUDED.region), locale = coalesce(s.locale, EXCLUDED.locale),
                    registration_channel = coalesce(s.registration_channel, EXCLUDED.registration_channel),
                    registration_source = coalesce(s.registration_source, EXCLUDED.registration_source),
                    birthday = coalesce(s.birthday, EXCLUDED.birthday),
                    version = s.version + 1, updated_at = EXCLUDED.updated_at
                RETURNING customer_id""".formatted(OWNER, rows("customer_score")), UUID.class,
                Map.of("rows", NativeSql.json(List.copyOf(rows.values())), "now", now.atOffset(java.time.ZoneOffset.UTC)));
    }

    /** Birthday changes (month and day, stored in year 2000), the last in the batch winning; null removes it. */
    private static Uni<List<UUID>> birthdays(Map<UUID, String> changes, Instant now) {
        if (changes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        changes.forEach((customer, day) -> rows.add(NativeSql.params("customer_id", customer, "birthday", birthday(day))));
        return NativeSql.list("""
                INSERT INTO customer_score AS s (customer_id, version, lifecycle_stage, updated_at, birthday)
                SELECT DISTINCT ON (%1$s) %1$s, 0, 'ACQUISITION', CAST(:now AS timestamptz), r.birthday
                %2$s
                ORDER BY %1$s, r.ordinality DESC
                ON CONFLICT (customer_id) DO UPDATE SET birthday = EXCLUDED.birthday, version = s.version + 1
                RETURNING customer_id""".formatted(OWNER, rows("customer_score")), UUID.class,
                Map.of("rows", NativeSql.json(rows), "now", now.atOffset(java.time.ZoneOffset.UTC)));
    }

    /** {@code MM-dd} as a date in the leap year 2000 (so 29 February fits); null stays null. */
    private static String birthday(String monthDay) {
        return monthDay == null ? null : "2000-" + monthDay;
    }

    /** Tag changes, the last change of a (customer, group, tag) in the batch winning. */
    private static Uni<List<UUID>> tags(Map<List<Object>, Boolean> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Map<String, Object>> added = new ArrayList<>();
        List<Map<String, Object>> removed = new ArrayList<>();
        changes.forEach((key, add) -> (add ? added : removed).add(NativeSql.params("customer_id", key.get(0),
                "tag_group", key.get(1), "tag", key.get(2))));
        return NativeSql.list("""
                WITH gone AS (SELECT %1$s AS customer_id, r.tag_group, r.tag %2$s)
                DELETE FROM customer_tag t USING gone
                WHERE t.customer_id = gone.customer_id AND t.tag_group = gone.tag_group AND t.tag = gone.tag
                RETURNING t.customer_id""".formatted(OWNER, rows("customer_tag")), UUID.class, Map.of("rows", NativeSql.json(removed)))
                .flatMap(gone -> insertFacts("customer_tag", added).map(made -> {
                    List<UUID> all = new ArrayList<>(gone);
                    all.addAll(made);
                    return all;
                }));
    }

    /**
     * Folds the merged customer into the survivor: facts and tags move (a fact both hold is kept once), the
     * registration attributes combine, the stage history moves, and the merged id is redirected from now on.
     */
    private Uni<Void> merge(ProfilesMerged event, Set<UUID> touched) {
        UUID survivor = event.survivorId();
        UUID merged = event.mergedId();
        touched.remove(merged);
        touched.add(survivor);
        Map<String, Object> ids = NativeSql.params("survivor", survivor, "merged", merged, "at", event.mergedAt().atOffset(java.time.ZoneOffset.UTC));
        Uni<Integer> chain = NativeSql.execute("""
                INSERT INTO merged_customer (merged_id, survivor_id, merged_at) VALUES (:merged, :survivor, CAST(:at AS timestamptz))
                ON CONFLICT (merged_id) DO UPDATE SET survivor_id = EXCLUDED.survivor_id, merged_at = EXCLUDED.merged_at""", ids)
                .flatMap(x -> NativeSql.execute("UPDATE merged_customer SET survivor_id = :survivor WHERE survivor_id = :merged", ids));
        for (var table : CUSTOMER_TABLES.entrySet()) {
            String key = table.getValue();
            String sameKey = java.util.Arrays.stream(key.split(", ")).map(k -> "o." + k + " = t." + k)
                    .reduce((a, b) -> a + " AND " + b).orElseThrow();
            chain = chain.flatMap(x -> NativeSql.execute("""
                    UPDATE %1$s t SET customer_id = :survivor WHERE t.customer_id = :merged
                    AND NOT EXISTS (SELECT 1 FROM %1$s o WHERE o.customer_id = :survivor AND %2$s)""".formatted(table.getKey(), sameKey), ids))
                    .flatMap(x -> NativeSql.execute("DELETE FROM " + table.getKey() + " WHERE customer_id = :merged", ids));
        }
        return chain.flatMap(x -> NativeSql.execute("""
                INSERT INTO customer_score AS s (customer_id, version, lifecycle_stage, updated_at, registered_at, region, locale,
                    registration_channel, registration_source, last_interaction_at, last_login_at)
                SELECT :survivor, 0, 'ACQUISITION', now(), registered_at, region, locale, registration_channel,
                       registration_source, last_interaction_at, last_login_at
                FROM customer_score WHERE customer_id = :merged
                  AND NOT EXISTS (SELECT 1 FROM erased_customer WHERE customer_id = :survivor)
                ON CONFLICT (customer_id) DO UPDATE SET
                    registered_at = least(s.registered_at, EXCLUDED.registered_at),
                    region = coalesce(s.region, EXCLUDED.region), locale = coalesce(s.locale, EXCLUDED.locale),
                    registration_channel = coalesce(s.registration_channel, EXCLUDED.registration_channel),
                    registration_source = coalesce(s.registration_source, EXCLUDED.registration_source),
                    last_interaction_at = greatest(s.last_interaction_at, EXCLUDED.last_interaction_at),
                    last_login_at = greatest(s.last_login_at, EXCLUDED.last_login_at), version = s.version + 1""", ids))
                .flatMap(x -> NativeSql.execute("UPDATE lifecycle_history SET customer_id = :survivor WHERE customer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM customer_score WHERE customer_id = :merged", ids))
                .replaceWithVoid();
    }

    /** Deletes everything held about the customer and remembers the id, so late events cannot bring it back. */
    private Uni<Void> erase(UUID customer, Set<UUID> touched) {
        touched.remove(customer);
        Map<String, Object> id = Map.of("id", customer);
        Uni<Integer> chain = NativeSql.execute("INSERT INTO erased_customer (customer_id, erased_at) VALUES (:id, now())"
                + " ON CONFLICT DO NOTHING", id);
        List<String> tables = new ArrayList<>(CUSTOMER_TABLES.keySet());
        tables.addAll(List.of("lifecycle_history", "segment_member", "customer_score"));
        for (String table : tables) {
            chain = chain.flatMap(x -> NativeSql.execute("DELETE FROM " + table + " WHERE customer_id = :id", id));
        }
        return chain.replaceWithVoid();
    }

    /** Facts gathered from consecutive events, waiting to be stored together. */
    private static final class Pending {
        final Map<UUID, Map<String, Object>> registrations = new LinkedHashMap<>();
        final List<Map<String, Object>> orders = new ArrayList<>();
        final List<Map<String, Object>> refunds = new ArrayList<>();
        final List<Map<String, Object>> interactions = new ArrayList<>();
        final List<Map<String, Object>> feedback = new ArrayList<>();
        final List<Map<String, Object>> resolutions = new ArrayList<>();
        final Map<List<Object>, Boolean> tags = new LinkedHashMap<>();
        final Map<UUID, String> birthdays = new LinkedHashMap<>();

        void registered(ProfileRegistered e) {
            registrations.putIfAbsent(e.customerId(), NativeSql.params("customer_id", e.customerId(), "registered_at",
                    e.registeredAt(), "region", e.region(), "locale", e.locale(), "registration_channel",
                    e.registrationChannel(), "registration_source", e.source(), "birthday", birthday(e.birthdayMonthDay())));
        }

        void updated(ProfileUpdated e) {
            if (e.changedFields() != null && e.changedFields().contains("birthday")) {
                birthdays.remove(e.customerId());
                birthdays.put(e.customerId(), e.birthdayMonthDay());
            }
        }

        void order(OrderPlaced e) {
            List<OrderPlaced.Item> items = e.items() == null ? List.of() : e.items();
            orders.add(NativeSql.params("customer_id", e.customerId(), "order_id", e.orderId(), "placed_at", e.placedAt(),
                    "amount", e.amount().value(), "currency", e.amount().currency(), "channel", e.channel(),
                    "store", e.store(), "source", e.source(),
                    "skus", items.stream().map(OrderPlaced.Item::sku).filter(java.util.Objects::nonNull).distinct().toList(),
                    "categories", items.stream().map(OrderPlaced.Item::category).filter(java.util.Objects::nonNull).distinct().toList(),
                    "item_count", items.stream().mapToInt(OrderPlaced.Item::quantity).sum()));
        }

        void refund(OrderRefunded e) {
            refunds.add(NativeSql.params("customer_id", e.customerId(), "refund_id", e.refundId(), "order_id", e.orderId(),
                    "refunded_at", e.refundedAt(), "amount", e.amount().value(), "currency", e.amount().currency(),
                    "reason", e.reason()));
        }

        void interaction(InteractionRecorded e) {
            interactions.add(NativeSql.params("customer_id", e.customerId(), "interaction_id", e.interactionId(),
                    "interaction_type", e.interactionType(), "occurred_at", e.occurredAt(), "channel", e.channel(),
                    "properties", e.properties() == null ? Map.of() : e.properties()));
        }

        void feedback(FeedbackSubmitted e) {
            feedback.add(NativeSql.params("customer_id", e.customerId(), "feedback_id", e.feedbackId(), "kind", e.kind(),
                    "score", e.score(), "category", e.category(), "channel", e.channel(), "submitted_at", e.submittedAt()));
        }

        void resolution(ComplaintResolved e) {
            resolutions.add(NativeSql.params("customer_id", e.customerId(), "complaint_id", e.complaintId(), "resolved_at",
                    e.resolvedAt(), "resolution", e.resolution()));
        }

        void tags(TagsChanged e) {
            if (e.added() != null) {
                e.added().forEach(t -> tags.put(List.of(e.customerId(), t.group(), t.tag()), true));
            }
            if (e.removed() != null) {
                e.removed().forEach(t -> tags.put(List.of(e.customerId(), t.group(), t.tag()), false));
            }
        }
    }
}
