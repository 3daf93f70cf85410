package io.custops.community.loyalty;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.community.config.LoyaltyConfig;
import io.custops.community.rest.dto.LoyaltyDtos.RedemptionView;
import io.custops.events.EventType;
import io.custops.events.payload.PointsRedeemed;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Redemption reserves, then confirms. Reserving takes the customer's ledger lock and the reward's row lock, checks
 * the offer, the tier, the per-member limit, the stock and the available points (after other reservations), and holds
 * a unit of stock; confirming debits the points (PointsRedeemed). A reservation that is cancelled or lapses gives both
 * back. So concurrent redemptions can never overspend points or stock.
 */
@ApplicationScoped
public class Redemptions {
    private static final String COLUMNS = "r.id, r.customer_id, r.reward_id, w.name, r.points, r.status, r.reserved_at, r.hold_until,"
            + " r.finished_at";

    private final Ledger ledger;
    private final EventOutbox outbox;
    private final LoyaltyConfig config;
    private final Clock clock;

    public Redemptions(Ledger ledger, EventOutbox outbox, LoyaltyConfig config, Clock clock) {
        this.ledger = ledger;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    /** Reserves the reward for the (live) customer; a repeated idempotency key answers the first redemption. */
    public Uni<RedemptionView> reserve(UUID customer, UUID rewardId, String idempotencyKey, String actor) {
        Instant now = Instant.now(clock);
        return Ledger.lock(customer)
                .flatMap(x -> idempotencyKey == null ? Uni.createFrom().item(List.<UUID>of())
                        : NativeSql.list("SELECT id FROM redemption WHERE customer_id = :customer AND idempotency_key = :key", UUID.class,
                                Map.of("customer", customer, "key", idempotencyKey)))
                .flatMap(earlier -> !earlier.isEmpty() ? get(earlier.get(0)) : NativeSql.list("""
                        SELECT w.points_price, w.stock, w.per_member_limit, CAST(w.allowed_tiers AS text),
                               w.active AND (w.available_from IS NULL OR w.available_from <= :now)
                                   AND (w.available_until IS NULL OR w.available_until > :now),
                               (SELECT count(*) FROM redemption r WHERE r.reward_id = w.id AND r.customer_id = :customer
                                  AND (r.status = 'confirmed' OR (r.status = 'reserved' AND r.hold_until > :now))),
                               (SELECT CAST(coalesce(jsonb_agg(t.name), '[]') AS text) FROM member_tier m
                                  JOIN loyalty_tier t ON t.id = m.tier_id WHERE m.customer_id = :customer)
                        FROM reward w WHERE w.id = :reward FOR UPDATE OF w""", Object[].class,
                        NativeSql.params("reward", rewardId, "customer", customer, "now", NativeSql.utc(now)))
                        .flatMap(rows -> {
                            if (rows.isEmpty()) {
                                throw ProblemException.notFound("No reward " + rewardId + ".");
                            }
                            Object[] w = rows.get(0);
                            int price = ((Number) w[0]).intValue();
                            List<String> tiers = Rewards.tiers((String) w[3]);
                            if (!(Boolean) w[4]) {
                                throw ProblemException.conflict("The reward is not on offer now.");
                            }
                            if (!tiers.isEmpty() && Rewards.tiers((String) w[6]).stream().noneMatch(tiers::contains)) {
                                throw ProblemException.conflict("The reward is for the tiers " + tiers + " only.");
                            }
                            if (w[2] != null && Ledger.n(w[5]) >= ((Number) w[2]).longValue()) {
                                throw ProblemException.conflict("The reward's limit of " + w[2] + " per member is reached.");
                            }
                            if (w[1] != null && ((Number) w[1]).intValue() <= 0) {
                                throw ProblemException.conflict("The reward is out of stock.");
                            }
                            return ledger.balance(customer).flatMap(balance -> {
                                if (balance.available() < price) {
                                    throw ProblemException.conflict("Not enough points: " + balance.available() + " available, " + price + " needed.");
                                }
                                UUID id = UUID.randomUUID();
                                return NativeSql.execute("UPDATE reward SET stock = stock - 1 WHERE id = :reward AND stock IS NOT NULL",
                                        Map.of("reward", rewardId))
                                        .flatMap(y -> NativeSql.execute("""
                                                INSERT INTO redemption (id, customer_id, reward_id, points, status, reserved_at, hold_until, requested_by,
                                                    idempotency_key)
                                                VALUES (:id, :customer, :reward, :points, 'reserved', :now, :hold, :actor, :key)""",
                                                NativeSql.params("id", id, "customer", customer, "reward", rewardId, "points", price,
                                                        "now", NativeSql.utc(now), "hold", NativeSql.utc(now.plus(config.reservationHold())), "actor", actor,
                                                        "key", idempotencyKey)))
                                        .flatMap(y -> get(id));
                            });
                        }));
    }

    /** Debits the reserved points (PointsRedeemed); 409 when the reservation lapsed or the points expired meanwhile. */
    public Uni<RedemptionView> confirm(RedemptionView reservation) {
        Instant now = Instant.now(clock);
        UUID customer = reservation.customerId();
        return Ledger.lock(customer)
                .flatMap(x -> get(reservation.id()))
                .flatMap(current -> {
                    if ("confirmed".equals(current.status())) {
                        return Uni.createFrom().item(current);
                    }
                    if (!"reserved".equals(current.status()) || !current.holdUntil().isAfter(now)) {
                        throw ProblemException.conflict("Redemption " + current.id() + " is " + ("reserved".equals(current.status())
                                ? "lapsed" : current.status()) + ": it cannot be confirmed.");
                    }
                    return ledger.uncommitted(customer).flatMap(uncommitted -> {
                        // this reservation is already held back: it fits while nothing is overcommitted
                        if (uncommitted < 0) {
                            return release(current, "cancelled").map(r -> {
                                throw ProblemException.conflict("The points reserved for redemption " + current.id()
                                        + " are no longer available; it was cancelled.");
                            });
                        }
                        return ledger.debit(customer, "redeem", current.points(), "redemption", current.rewardId().toString(), List.of(), null,
                                null, "redemption:" + current.id(), now)
                                .flatMap(entry -> NativeSql.execute("""
                                        UPDATE redemption SET status = 'confirmed', entry_id = :entry, finished_at = :now WHERE id = :id""",
                                        NativeSql.params("entry", entry, "now", NativeSql.utc(now), "id", current.id())))
                                .flatMap(y -> outbox.record(EventType.POINTS_REDEEMED, customer, new PointsRedeemed(customer, current.id(),
                                        current.rewardId(), current.points(), now)))
                                .flatMap(y -> get(current.id()));
                    });
                });
    }

    public Uni<RedemptionView> cancel(RedemptionView reservation) {
        return Ledger.lock(reservation.customerId()).flatMap(x -> get(reservation.id())).flatMap(current -> {
            if (!"reserved".equals(current.status())) {
                throw ProblemException.conflict("Redemption " + current.id() + " is " + current.status() + ": it cannot be cancelled.");
            }
            return release(current, "cancelled");
        });
    }

    private Uni<RedemptionView> release(RedemptionView reservation, String status) {
        return NativeSql.execute("UPDATE redemption SET status = :status, finished_at = now() WHERE id = :id AND status = 'reserved'",
                Map.of("status", status, "id", reservation.id()))
                .flatMap(updated -> updated == 0 ? Uni.createFrom().voidItem()
                        : NativeSql.execute("UPDATE reward SET stock = stock + 1 WHERE id = :reward AND stock IS NOT NULL",
                                Map.of("reward", reservation.rewardId())).replaceWithVoid())
                .flatMap(x -> get(reservation.id()));
    }

    /** Reservations past their hold lapse and give their stock back; returns how many. */
    public Uni<Integer> lapse() {
        return NativeSql.list("""
                WITH lapsed AS (
                    UPDATE redemption SET status = 'lapsed', finished_at = now()
                    WHERE id IN (SELECT id FROM redemption WHERE status = 'reserved' AND hold_until <= :now ORDER BY hold_until
                                 LIMIT :limit FOR UPDATE SKIP LOCKED)
                    RETURNING reward_id),
                restocked AS (
                    UPDATE reward w SET stock = w.stock + l.n FROM (SELECT reward_id, count(*) AS n FROM lapsed GROUP BY reward_id) l
                    WHERE w.id = l.reward_id AND w.stock IS NOT NULL RETURNING 1)
                SELECT count(*) FROM lapsed""", Long.class,
                NativeSql.params("now", NativeSql.utc(Instant.now(clock)), "limit", config.sweepBatch()))
                .map(rows -> (int) Ledger.n(rows.get(0)));
    }

    public Uni<RedemptionView> get(UUID id) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM redemption r JOIN reward w ON w.id = r.reward_id WHERE r.id = :id", Object[].class,
                Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(Redemptions::view)
                        .orElseThrow(() -> ProblemException.notFound("No redemption " + id + ".")));
    }

    /** A customer's redemptions, newest first. */
    public Uni<List<RedemptionView>> ofCustomer(UUID customer, int limit) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM redemption r JOIN reward w ON w.id = r.reward_id WHERE r.customer_id = :customer"
                + " ORDER BY r.reserved_at DESC, r.id LIMIT :limit", Object[].class, Map.of("customer", customer, "limit", limit))
                .map(rows -> rows.stream().map(Redemptions::view).toList());
    }

    private static RedemptionView view(Object[] r) {
        return new RedemptionView((UUID) r[0], (UUID) r[1], (UUID) r[2], (String) r[3], ((Number) r[4]).intValue(), (String) r[5],
                NativeSql.instant(r[6]), NativeSql.instant(r[7]), NativeSql.instant(r[8]));
    }
}
