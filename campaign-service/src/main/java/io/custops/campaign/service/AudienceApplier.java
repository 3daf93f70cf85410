package io.custops.campaign.service;

import java.util.Map;

import io.custops.events.EventType;
import io.custops.events.payload.ConsentChanged;
import io.custops.events.payload.OrderPlaced;
import io.custops.events.payload.ProfileErased;
import io.custops.events.payload.ProfileRegistered;
import io.custops.events.payload.ProfileUpdated;
import io.custops.events.payload.ProfilesMerged;
import io.custops.events.payload.ScoresUpdated;
import io.custops.events.payload.SegmentEntered;
import io.custops.events.payload.SegmentExited;
import io.custops.events.payload.TierChanged;
import io.custops.platform.consumer.IncomingEvent;
import io.custops.platform.persistence.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies one profile, segmentation or activity event in the consumer's transaction. Segment entries and exits keep
 * the campaign audiences; tier changes feed the tier cadence rules; scores and orders feed journey conditions and
 * purchase cycles. Consents keep the latest change (out-of-order delivery
 * cannot revive a withdrawn consent); a merge folds the merged id's consents and messages into the survivor and
 * sends its later events there; an erasure deletes what campaign-service holds of the customer, anonymises its
 * message history (statistics keep their counts) and suppresses whatever was still queued.
 */
@ApplicationScoped
public class AudienceApplier {

    public Uni<Void> apply(IncomingEvent event) {
        EventType type = EventType.fromType(event.type()).orElse(null);
        if (type == null) {
            return Uni.createFrom().voidItem();
        }
        return switch (type) {
            case PROFILE_REGISTERED -> registered(event.data(ProfileRegistered.class));
            case PROFILE_UPDATED -> updated(event.data(ProfileUpdated.class));
            case CONSENT_CHANGED -> consent(event.data(ConsentChanged.class));
            case PROFILES_MERGED -> merged(event.data(ProfilesMerged.class));
            case PROFILE_ERASED -> erased(event.data(ProfileErased.class));
            case SEGMENT_ENTERED -> entered(event.data(SegmentEntered.class));
            case SEGMENT_EXITED -> exited(event.data(SegmentExited.class));
            case TIER_CHANGED -> tier(event.data(TierChanged.class));
            case SCORES_UPDATED -> scores(event.data(ScoresUpdated.class), event.data());
            case ORDER_PLACED -> order(event.data(OrderPlaced.class));
            default -> Uni.createFrom().voidItem();
        };
    }

    /** The id events about {@code :customer} now apply to: its survivor when merged, none when erased. */
    private static final String LIVE_ID = """
            (SELECT CASE WHEN r.reason = 'erased' THEN NULL ELSE coalesce(r.survivor_id, CAST(:customer AS uuid)) END
             FROM (SELECT CAST(:customer AS uuid) AS id) c LEFT JOIN retired_customer r ON r.customer_id = c.id)""";

    private Uni<Void> registered(ProfileRegistered e) {
        return NativeSql.execute("""
                INSERT INTO audience_customer (customer_id, locale, region, birthday_month_day, registered_at, updated_at)
                SELECT id, :locale, :region, :birthday, CAST(:at AS timestamptz), now() FROM %s AS live(id) WHERE id IS NOT NULL
                ON CONFLICT (customer_id) DO UPDATE SET locale = coalesce(excluded.locale, audience_customer.locale),
                    region = coalesce(excluded.region, audience_customer.region),
                    birthday_month_day = coalesce(excluded.birthday_month_day, audience_customer.birthday_month_day),
                    registered_at = coalesce(audience_customer.registered_at, excluded.registered_at), updated_at = now()
                """.formatted(LIVE_ID), NativeSql.params("customer", e.customerId(), "locale", e.locale(), "region", e.region(),
                "birthday", e.birthdayMonthDay(), "at", utc(e.registeredAt()))).replaceWithVoid();
    }

    private Uni<Void> updated(ProfileUpdated e) {
        if (e.changedFields() == null || !e.changedFields().contains("birthday")) {
            return Uni.createFrom().voidItem();
        }
        return NativeSql.execute("""
                INSERT INTO audience_customer (customer_id, birthday_month_day, updated_at)
                SELECT id, :birthday, now() FROM %s AS live(id) WHERE id IS NOT NULL
                ON CONFLICT (customer_id) DO UPDATE SET birthday_month_day = excluded.birthday_month_day, updated_at = now()
                """.formatted(LIVE_ID), NativeSql.params("customer", e.customerId(), "birthday", e.birthdayMonthDay()))
                .replaceWithVoid();
    }

    private Uni<Void> consent(ConsentChanged e) {
        return record(e.customerId(), e.channel(), e.purpose(), e.status(), e.source(), e.changedAt());
    }

    /** Records a consent change unless a later one is already known. */
    public static Uni<Void> record(java.util.UUID customer, String channel, String purpose, String status, String source,
            java.time.Instant changedAt) {
        return NativeSql.execute("""
                INSERT INTO consent (customer_id, channel, purpose, status, source, changed_at)
                SELECT id, :channel, :purpose, :status, :source, CAST(:at AS timestamptz) FROM %s AS live(id) WHERE id IS NOT NULL
                ON CONFLICT (customer_id, channel, purpose) DO UPDATE SET status = excluded.status, source = excluded.source,
                    changed_at = excluded.changed_at
                WHERE consent.changed_at <= excluded.changed_at""".formatted(LIVE_ID),
                NativeSql.params("customer", customer, "channel", channel, "purpose", purpose, "status", status, "source", source,
                        "at", utc(changedAt))).replaceWithVoid();
    }

    private Uni<Void> entered(SegmentEntered e) {
        return NativeSql.execute("""
                INSERT INTO segment_member (segment_id, customer_id, segment_name, since)
                SELECT :segment, id, :name, :at FROM %s AS live(id) WHERE id IS NOT NULL
                ON CONFLICT (segment_id, customer_id) DO UPDATE SET segment_name = excluded.segment_name""".formatted(LIVE_ID),
                NativeSql.params("customer", e.customerId(), "segment", e.segmentId(), "name", e.segmentName(), "at", utc(e.enteredAt())))
                .replaceWithVoid();
    }

    private Uni<Void> exited(SegmentExited e) {
        return NativeSql.execute("DELETE FROM segment_member WHERE segment_id = :segment AND customer_id = :customer AND since <= :at",
                NativeSql.params("customer", e.customerId(), "segment", e.segmentId(), "at", utc(e.exitedAt()))).replaceWithVoid();
    }

    private Uni<Void> tier(TierChanged e) {
        return NativeSql.execute("""
                INSERT INTO audience_customer (customer_id, tier, tier_changed_at, updated_at)
                SELECT id, :tier, :at, now() FROM %s AS live(id) WHERE id IS NOT NULL
                ON CONFLICT (customer_id) DO UPDATE SET tier = excluded.tier, tier_changed_at = excluded.tier_changed_at, updated_at = now()
                WHERE audience_customer.tier_changed_at IS NULL OR audience_customer.tier_changed_at <= excluded.tier_changed_at"""
                .formatted(LIVE_ID), NativeSql.params("customer", e.customerId(), "tier", e.to(), "at", utc(e.changedAt())))
                .replaceWithVoid();
    }

    private Uni<Void> scores(ScoresUpdated e, com.fasterxml.jackson.databind.JsonNode data) {
        return NativeSql.execute("""
                INSERT INTO audience_customer (customer_id, scores, scores_at, updated_at)
                SELECT id, CAST(CAST(:scores AS text) AS jsonb), :at, now() FROM %s AS live(id) WHERE id IS NOT NULL
                ON CONFLICT (customer_id) DO UPDATE SET scores = excluded.scores, scores_at = excluded.scores_at, updated_at = now()
                WHERE audience_customer.scores_at IS NULL OR audience_customer.scores_at <= excluded.scores_at""".formatted(LIVE_ID),
                NativeSql.params("customer", e.customerId(), "scores", data.toString(), "at", utc(e.scoredAt()))).replaceWithVoid();
    }

    /**
     * An order counts once per customer and order id; the customer's order count and dates follow, and its SKUs feed
     * the co-purchase model.
     */
    private Uni<Void> order(OrderPlaced e) {
        if (e.placedAt() == null) {
            return Uni.createFrom().voidItem();
        }
        return liveId(e.customerId()).flatMap(live -> live.isEmpty() ? Uni.createFrom().voidItem() : NativeSql.execute("""
                WITH fresh AS (INSERT INTO customer_order (customer_id, order_id, placed_at) VALUES (:customer, :order, :at)
                               ON CONFLICT DO NOTHING RETURNING customer_id)
                INSERT INTO audience_customer (customer_id, order_count, first_order_at, last_order_at, updated_at)
                SELECT customer_id, 1, :at, :at, now() FROM fresh
                ON CONFLICT (customer_id) DO UPDATE SET order_count = audience_customer.order_count + 1,
                    first_order_at = least(audience_customer.first_order_at, excluded.first_order_at),
                    last_order_at = greatest(audience_customer.last_order_at, excluded.last_order_at), updated_at = now()""",
                NativeSql.params("customer", live.get(), "order", e.orderId(), "at", utc(e.placedAt())))
                .flatMap(x -> Recommendations.record(live.get(), e)));
    }

    /** The id a customer's events now apply to: the survivor of a merged id; empty for an erased customer. */
    public static Uni<java.util.Optional<java.util.UUID>> liveId(java.util.UUID customer) {
        return NativeSql.list("SELECT CAST(live.id AS text) FROM " + LIVE_ID + " AS live(id)", String.class, Map.of("customer", customer))
                .map(rows -> rows.isEmpty() || rows.get(0) == null ? java.util.Optional.empty()
                        : java.util.Optional.of(java.util.UUID.fromString(rows.get(0))));
    }

    private Uni<Void> merged(ProfilesMerged e) {
        Map<String, Object> ids = Map.of("survivor", e.survivorId(), "merged", e.mergedId(), "at", utc(e.mergedAt()));
        return NativeSql.execute("""
                INSERT INTO consent (customer_id, channel, purpose, status, source, changed_at)
                SELECT :survivor, channel, purpose, status, source, changed_at FROM consent WHERE customer_id = :merged
                ON CONFLICT (customer_id, channel, purpose) DO UPDATE SET status = excluded.status, source = excluded.source,
                    changed_at = excluded.changed_at
                WHERE consent.changed_at < excluded.changed_at""", ids)
                .flatMap(x -> NativeSql.execute("DELETE FROM consent WHERE customer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO audience_customer (customer_id, locale, region, birthday_month_day, registered_at, updated_at)
                        SELECT :survivor, locale, region, birthday_month_day, registered_at, now() FROM audience_customer
                        WHERE customer_id = :merged
                        ON CONFLICT (customer_id) DO UPDATE SET locale = coalesce(audience_customer.locale, excluded.locale),
                            region = coalesce(audience_customer.region, excluded.region),
                            birthday_month_day = coalesce(audience_customer.birthday_month_day, excluded.birthday_month_day),
                            registered_at = least(audience_customer.registered_at, excluded.registered_at), updated_at = now()""", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM audience_customer WHERE customer_id = :merged", ids))
                // segmentation re-evaluates the survivor and announces its entries; the retired id leaves every audience
                .flatMap(x -> NativeSql.execute("DELETE FROM segment_member WHERE customer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO customer_order (customer_id, order_id, placed_at)
                        SELECT :survivor, order_id, placed_at FROM customer_order WHERE customer_id = :merged ON CONFLICT DO NOTHING""", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM customer_order WHERE customer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO customer_item (customer_id, sku, first_at)
                        SELECT :survivor, sku, first_at FROM customer_item WHERE customer_id = :merged ON CONFLICT DO NOTHING""", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM customer_item WHERE customer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("""
                        UPDATE audience_customer a SET order_count = o.n, first_order_at = o.first, last_order_at = o.last
                        FROM (SELECT count(*) AS n, min(placed_at) AS first, max(placed_at) AS last FROM customer_order
                              WHERE customer_id = :survivor) o
                        WHERE a.customer_id = :survivor AND o.n > 0""", ids))
                // journeys in flight go on with the survivor
                .flatMap(x -> NativeSql.execute("UPDATE journey_instance SET customer_id = :survivor WHERE customer_id = :merged", ids))
                // the history moves to the survivor; a message both were sent stays with the merged id's copy marked
                .flatMap(x -> NativeSql.execute("""
                        UPDATE message m SET customer_id = :survivor,
                            dedupe_key = CASE WHEN EXISTS (SELECT 1 FROM message s WHERE s.customer_id = :survivor
                                AND s.dedupe_key = m.dedupe_key) THEN m.dedupe_key || ' (merged ' || m.id || ')' ELSE m.dedupe_key END
                        WHERE m.customer_id = :merged""", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO retired_customer (customer_id, survivor_id, reason, retired_at)
                        VALUES (:merged, :survivor, 'merged', CAST(:at AS timestamptz)) ON CONFLICT (customer_id) DO NOTHING""", ids))
                // ids merged into the merged one earlier now follow the new survivor too
                .flatMap(x -> NativeSql.execute("UPDATE retired_customer SET survivor_id = :survivor WHERE survivor_id = :merged", ids))
                .replaceWithVoid();
    }

    private Uni<Void> erased(ProfileErased e) {
        Map<String, Object> ids = Map.of("customer", e.customerId(), "at", utc(e.erasedAt()));
        return NativeSql.execute("DELETE FROM consent WHERE customer_id = :customer", ids)
                .flatMap(x -> NativeSql.execute("DELETE FROM audience_customer WHERE customer_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM segment_member WHERE customer_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM customer_order WHERE customer_id = :customer", ids))
                // the co-purchase counts are anonymous aggregates and stay; what this customer bought goes
                .flatMap(x -> NativeSql.execute("DELETE FROM customer_item WHERE customer_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("""
                        UPDATE journey_instance SET status = CASE WHEN status = 'active' THEN 'exited' ELSE status END,
                            reason = CASE WHEN status = 'active' THEN 'erased' ELSE reason END, finished_at = coalesce(finished_at, now()),
                            waiting_event = NULL, customer_id = gen_random_uuid(), context = '{}'
                        WHERE customer_id = :customer""", ids))
                .flatMap(x -> NativeSql.execute("""
                        UPDATE message SET status = CASE WHEN status IN ('queued', 'sending') THEN 'suppressed' ELSE status END,
                            reason = CASE WHEN status IN ('queued', 'sending') THEN 'erased' ELSE reason END,
                            finished_at = coalesce(finished_at, now()), customer_id = gen_random_uuid(), data = '{}'
                        WHERE customer_id = :customer""", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO retired_customer (customer_id, survivor_id, reason, retired_at)
                        VALUES (:customer, NULL, 'erased', CAST(:at AS timestamptz))
                        ON CONFLICT (customer_id) DO UPDATE SET survivor_id = NULL, reason = 'erased', retired_at = excluded.retired_at""", ids))
                .replaceWithVoid();
    }

    private static java.time.OffsetDateTime utc(java.time.Instant instant) {
        return instant.atOffset(java.time.ZoneOffset.UTC);
    }
}
