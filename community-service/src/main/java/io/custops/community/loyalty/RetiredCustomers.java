package io.custops.community.loyalty;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.custops.events.payload.ProfileErased;
import io.custops.events.payload.ProfilesMerged;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Merged and erased customers. A merged customer's ledger, order points, redemptions, tiers, referrals, memberships,
 * posts and likes fold into the survivor's. An erased customer's ledger and redemptions are anonymised (kept as
 * anonymous amounts for the programme's totals, under an id that nothing links back to the person), their open
 * reservations released, their posts and comments emptied, and their memberships, likes, tiers and codes deleted.
 */
@ApplicationScoped
public class RetiredCustomers {
    private final Ledger ledger;

    public RetiredCustomers(Ledger ledger) {
        this.ledger = ledger;
    }

    /** The id a customer's events and requests now apply to: the survivor of a merged id; empty for an erased customer. */
    public static Uni<Optional<UUID>> liveId(UUID customer) {
        return NativeSql.list("""
                SELECT CAST(CASE WHEN r.reason = 'erased' THEN NULL ELSE coalesce(r.survivor_id, c.id) END AS text)
                FROM (SELECT CAST(:customer AS uuid) AS id) c LEFT JOIN retired_customer r ON r.customer_id = c.id""", String.class,
                Map.of("customer", customer))
                .map(rows -> rows.isEmpty() || rows.get(0) == null ? Optional.empty() : Optional.of(UUID.fromString(rows.get(0))));
    }

    /** {@link #liveId}, or 404 for an erased customer. */
    public static Uni<UUID> requireLive(UUID customer) {
        return liveId(customer).map(live -> live.orElseThrow(() -> ProblemException.notFound("No customer " + customer + ".")));
    }

    public Uni<Void> merged(ProfilesMerged e) {
        Map<String, Object> ids = NativeSql.params("survivor", e.survivorId(), "merged", e.mergedId(), "at", NativeSql.utc(e.mergedAt()));
        return Ledger.lock(e.survivorId()).flatMap(x -> Ledger.lock(e.mergedId()))
                .flatMap(x -> NativeSql.execute("""
                        UPDATE points_entry p SET customer_id = :survivor,
                            dedupe_key = CASE WHEN EXISTS (SELECT 1 FROM points_entry s WHERE s.customer_id = :survivor AND s.dedupe_key = p.dedupe_key)
                                THEN p.dedupe_key || ' (merged ' || p.id || ')' ELSE p.dedupe_key END
                        WHERE p.customer_id = :merged""", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO order_points (customer_id, order_id, amount, currency, points, reversed, refunded, placed_at)
                        SELECT :survivor, order_id, amount, currency, points, reversed, refunded, placed_at FROM order_points
                        WHERE customer_id = :merged ON CONFLICT DO NOTHING""", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM order_points WHERE customer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO order_refund (customer_id, order_id, refund_id, points, applied_at)
                        SELECT :survivor, order_id, refund_id, points, applied_at FROM order_refund WHERE customer_id = :merged
                        ON CONFLICT DO NOTHING""", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM order_refund WHERE customer_id = :merged", ids))
                // the survivor keeps the higher tier of each set (the tiers are evaluated again from the folded ledger)
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO member_tier (customer_id, tier_set_id, tier_id, since, downgrade_at)
                        SELECT :survivor, m.tier_set_id, m.tier_id, m.since, m.downgrade_at FROM member_tier m WHERE m.customer_id = :merged
                        ON CONFLICT (customer_id, tier_set_id) DO UPDATE SET tier_id = excluded.tier_id, since = excluded.since,
                            downgrade_at = excluded.downgrade_at
                        WHERE (SELECT rank FROM loyalty_tier WHERE id = excluded.tier_id) > (SELECT rank FROM loyalty_tier WHERE id = member_tier.tier_id)""", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM member_tier WHERE customer_id = :merged", ids))
                // referrals follow the survivor (its own referral wins when both were referred); the merged code stays valid
                .flatMap(x -> NativeSql.execute("UPDATE referral SET referrer_id = :survivor WHERE referrer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("""
                        DELETE FROM referral WHERE referee_id = :merged AND EXISTS (SELECT 1 FROM referral s WHERE s.referee_id = :survivor)""", ids))
                .flatMap(x -> NativeSql.execute("UPDATE referral SET referee_id = :survivor WHERE referee_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO customer_registration (customer_id, registered_at)
                        SELECT :survivor, registered_at FROM customer_registration WHERE customer_id = :merged
                        ON CONFLICT (customer_id) DO UPDATE SET registered_at = least(customer_registration.registered_at, excluded.registered_at)""",
                        ids))
                .flatMap(x -> NativeSql.execute("""
                        UPDATE redemption r SET customer_id = :survivor,
                            idempotency_key = CASE WHEN r.idempotency_key IS NULL THEN NULL ELSE r.idempotency_key || ' (merged)' END
                        WHERE r.customer_id = :merged""", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO retired_customer (customer_id, survivor_id, reason, retired_at)
                        VALUES (:merged, :survivor, 'merged', CAST(:at AS timestamptz)) ON CONFLICT (customer_id) DO NOTHING""", ids))
                .flatMap(x -> NativeSql.execute("UPDATE retired_customer SET survivor_id = :survivor WHERE survivor_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO community_member (community_id, customer_id, status, role, leader_grade, invited_by, joined_at, changed_at, reason)
                        SELECT community_id, :survivor, status, role, leader_grade, invited_by, joined_at, changed_at, reason FROM community_member
                        WHERE customer_id = :merged ON CONFLICT DO NOTHING""", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM community_member WHERE customer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO customer_value (customer_id, tier, value_score, changed_at)
                        SELECT :survivor, tier, value_score, changed_at FROM customer_value WHERE customer_id = :merged ON CONFLICT DO NOTHING""", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM customer_value WHERE customer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("UPDATE post SET author_id = :survivor WHERE author_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("UPDATE post_comment SET author_id = :survivor WHERE author_id = :merged", ids))
                // a post both liked keeps one like
                .flatMap(x -> likesGone("l.customer_id = :merged AND EXISTS (SELECT 1 FROM post_like s WHERE s.post_id = l.post_id"
                        + " AND s.customer_id = :survivor)", ids))
                .flatMap(x -> NativeSql.execute("UPDATE post_like SET customer_id = :survivor WHERE customer_id = :merged", ids))
                .flatMap(x -> NativeSql.execute("""
                        DELETE FROM content_report r WHERE r.reporter_id = :merged AND EXISTS (SELECT 1 FROM content_report s
                            WHERE s.reporter_id = :survivor AND s.target_type = r.target_type AND s.target_id = r.target_id)""", ids))
                .flatMap(x -> NativeSql.execute("UPDATE content_report SET reporter_id = :survivor WHERE reporter_id = :merged", ids))
                // the merged customer's lots may pay the survivor's debts
                .flatMap(x -> ledger.settleDebt(e.survivorId()));
    }

    /** Deletes the likes {@code l} that meet the condition and takes them off their posts' like counts. */
    private static Uni<Integer> likesGone(String condition, Map<String, Object> ids) {
        return NativeSql.execute("""
                WITH gone AS (DELETE FROM post_like l WHERE %s RETURNING l.post_id)
                UPDATE post p SET like_count = p.like_count - g.n FROM (SELECT post_id, count(*) AS n FROM gone GROUP BY post_id) g
                WHERE p.id = g.post_id"""
                .formatted(condition), ids);
    }

    public Uni<Void> erased(ProfileErased e) {
        Map<String, Object> ids = NativeSql.params("customer", e.customerId(), "anonymous", UUID.randomUUID(), "at",
                NativeSql.utc(e.erasedAt() == null ? Instant.now() : e.erasedAt()));
        return Ledger.lock(e.customerId())
                .flatMap(x -> NativeSql.execute("""
                        UPDATE reward w SET stock = w.stock + r.n
                        FROM (SELECT reward_id, count(*) AS n FROM redemption WHERE customer_id = :customer AND status = 'reserved'
                              GROUP BY reward_id) r
                        WHERE w.id = r.reward_id AND w.stock IS NOT NULL""", ids))
                .flatMap(x -> NativeSql.execute("""
                        UPDATE redemption SET status = CASE WHEN status = 'reserved' THEN 'cancelled' ELSE status END,
                            finished_at = coalesce(finished_at, CAST(:at AS timestamptz)), customer_id = :anonymous, requested_by = 'erased',
                            idempotency_key = NULL
                        WHERE customer_id = :customer""", ids))
                .flatMap(x -> NativeSql.execute("""
                        UPDATE points_entry SET customer_id = :anonymous, reference = NULL, note = NULL, actor = NULL, dedupe_key = NULL
                        WHERE customer_id = :customer""", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM order_points WHERE customer_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM order_refund WHERE customer_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM member_tier WHERE customer_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM referral_code WHERE customer_id = :customer", ids))
                // what they wrote goes (it may name them); the threads keep their shape
                .flatMap(x -> NativeSql.execute("UPDATE post SET status = 'erased', body = '', author_id = :anonymous WHERE author_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("""
                        UPDATE post_comment SET status = 'erased', body = '', author_id = :anonymous WHERE author_id = :customer""", ids))
                .flatMap(x -> likesGone("l.customer_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("UPDATE content_report SET reporter_id = :anonymous WHERE reporter_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM community_member WHERE customer_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM customer_value WHERE customer_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("DELETE FROM customer_registration WHERE customer_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("UPDATE referral SET referrer_id = :anonymous, code = 'erased' WHERE referrer_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("UPDATE referral SET referee_id = :anonymous, first_order_id = NULL WHERE referee_id = :customer", ids))
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO retired_customer (customer_id, survivor_id, reason, retired_at)
                        VALUES (:customer, NULL, 'erased', CAST(:at AS timestamptz))
                        ON CONFLICT (customer_id) DO UPDATE SET survivor_id = NULL, reason = 'erased', retired_at = excluded.retired_at""", ids))
                .replaceWithVoid();
    }
}
