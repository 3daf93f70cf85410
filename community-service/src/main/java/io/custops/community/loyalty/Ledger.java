package io.custops.community.loyalty;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.custops.community.config.LoyaltyConfig;
import io.custops.community.rest.dto.LoyaltyDtos.Balance;
import io.custops.community.rest.dto.LoyaltyDtos.Entry;
import io.custops.events.EventType;
import io.custops.events.payload.PointsEarned;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.outbox.EventOutbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The append-only points ledger. Credits are lots; debits consume lots first in, first out by expiry (a refund first
 * takes back its own order's lots, vested or not); what no lot covers stays as a debt that later credits pay. Every
 * write of one customer's ledger runs under {@link #lock}, so concurrent redemptions, refunds and sweeps can never
 * spend the same points twice.
 */
@ApplicationScoped
public class Ledger {
    static final String ENTRY_COLUMNS = "id, kind, points, reason, reference, vested, vests_at, expires_at, remaining, unallocated, note,"
            + " occurred_at, created_at";

    private final EventOutbox outbox;
    private final LoyaltyConfig config;
    private final Clock clock;

    public Ledger(EventOutbox outbox, LoyaltyConfig config, Clock clock) {
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    /** A credit: {@code vestsAt} in the future keeps it pending; {@code dedupeKey} makes it happen once per customer. */
    public record Credit(UUID customerId, String kind, int points, String reason, String reference, UUID ruleId, Instant occurredAt,
            Instant vestsAt, String dedupeKey, String actor, String note) {
    }

    /** Serialises the ledger writes of one customer until the transaction ends. */
    public static Uni<Void> lock(UUID customer) {
        return NativeSql.list("SELECT count(pg_advisory_xact_lock(hashtextextended(CAST(CAST(:customer AS uuid) AS text), 11)))", Long.class,
                Map.of("customer", customer)).replaceWithVoid();
    }

    /** Records the lot and announces it (PointsEarned); empty when its dedupe key was credited before. */
    public Uni<Optional<Long>> credit(Credit c) {
        Instant now = Instant.now(clock);
        Instant vests = c.vestsAt() == null || !c.vestsAt().isAfter(now) ? null : c.vestsAt();
        Instant expires = (c.vestsAt() == null ? c.occurredAt() : c.vestsAt()).plus(config.pointsValidity());
        return NativeSql.list("""
                INSERT INTO points_entry (customer_id, kind, points, reason, reference, rule_id, vests_at, vested, expires_at, remaining,
                    actor, note, dedupe_key, occurred_at, created_at)
                VALUES (:customer, :kind, :points, :reason, :reference, :rule, :vests, :vested, :expires, :points, :actor, :note, :dedupe,
                    :occurred, :now)
                ON CONFLICT (customer_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id""", Long.class,
                NativeSql.params("customer", c.customerId(), "kind", c.kind(), "points", c.points(), "reason", c.reason(),
                        "reference", c.reference(), "rule", c.ruleId(), "vests", NativeSql.utc(vests), "vested", vests == null,
                        "expires", NativeSql.utc(expires), "actor", c.actor(), "note", c.note(), "dedupe", c.dedupeKey(),
                        "occurred", NativeSql.utc(c.occurredAt()), "now", NativeSql.utc(now)))
                .flatMap(ids -> {
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(Optional.<Long>empty());
                    }
                    long id = ((Number) ids.get(0)).longValue();
                    return (vests == null ? settleDebt(c.customerId()) : Uni.createFrom().voidItem())
                            .flatMap(x -> outbox.record(EventType.POINTS_EARNED, c.customerId(), new PointsEarned(c.customerId(), id,
                                    c.points(), c.reason(), c.reference(), vests == null ? "available" : "pending", vests, expires,
                                    c.occurredAt())))
                            .replaceWith(Optional.of(id));
                });
    }

    /**
     * Records a debit of {@code points} and pays it from the customer's lots: first the {@code prefer} lots (vested or
     * not), then available lots by expiry. Returns the entry id.
     */
    public Uni<Long> debit(UUID customer, String kind, int points, String reason, String reference, List<Long> prefer, String actor,
            String note, String dedupeKey, Instant occurredAt) {
        return NativeSql.list("""
                INSERT INTO points_entry (customer_id, kind, points, reason, reference, vested, unallocated, actor, note, dedupe_key,
                    occurred_at, created_at)
                VALUES (:customer, :kind, :debit, :reason, :reference, true, :points, :actor, :note, :dedupe, :occurred, :now) RETURNING id""",
                Long.class, NativeSql.params("customer", customer, "kind", kind, "debit", -points, "points", points, "reason", reason,
                        "reference", reference, "actor", actor, "note", note, "dedupe", dedupeKey, "occurred", NativeSql.utc(occurredAt),
                        "now", NativeSql.utc(Instant.now(clock))))
                .flatMap(ids -> {
                    long id = ((Number) ids.get(0)).longValue();
                    return allocate(id, customer, prefer).replaceWith(id);
                });
    }

    /**
     * An audited manual correction: a positive one credits an available lot, a negative one debits (409 beyond the
     * points available, so a correction never creates a debt) and is announced as PointsReversed.
     */
    public Uni<Long> adjust(UUID customer, int points, String note, String actor) {
        Instant now = Instant.now(clock);
        if (points > 0) {
            return lock(customer).flatMap(x -> credit(new Credit(customer, "adjust", points, "adjustment", null, null, now, null, null, actor,
                    note))).map(java.util.Optional::orElseThrow);
        }
        int debit = -points;
        return lock(customer).flatMap(x -> uncommitted(customer)).flatMap(available -> {
            if (available < debit) {
                throw io.custops.platform.problem.ProblemException.conflict("Only " + Math.max(0, available) + " points are available to take back.");
            }
            return debit(customer, "adjust", debit, "adjustment", null, List.of(), actor, note, null, now)
                    .call(entry -> outbox.record(EventType.POINTS_REVERSED, customer, new io.custops.events.payload.PointsReversed(customer, entry,
                            debit, "adjustment", note, null, false, now)));
        });
    }

    /** Pays what the debit still owes from the customer's lots, in one statement. */
    private Uni<Integer> allocate(long debit, UUID customer, List<Long> prefer) {
        return NativeSql.execute("""
                WITH owed AS (SELECT unallocated AS amount FROM points_entry WHERE id = :debit),
                prefer AS (SELECT CAST(x AS bigint) AS id FROM jsonb_array_elements_text(CAST(CAST(:prefer AS text) AS jsonb)) x),
                lots AS (
                    SELECT l.id, l.remaining, CASE WHEN l.id IN (SELECT id FROM prefer) THEN 0 ELSE 1 END AS rank, l.expires_at
                    FROM points_entry l
                    WHERE l.customer_id = :customer AND l.remaining > 0
                      AND (l.id IN (SELECT id FROM prefer) OR (l.vested AND (l.expires_at IS NULL OR l.expires_at > :now)))),
                ordered AS (
                    SELECT id, remaining, coalesce(sum(remaining) OVER (ORDER BY rank, expires_at NULLS LAST, id
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
                    FROM lots),
                taken AS (
                    INSERT INTO points_allocation (debit_id, lot_id, points)
                    SELECT :debit, o.id, least(o.remaining, owed.amount - o.before) FROM ordered o, owed WHERE o.before < owed.amount
                    ON CONFLICT (debit_id, lot_id) DO UPDATE SET points = points_allocation.points + excluded.points
                    RETURNING lot_id, points),
                spent AS (UPDATE points_entry l SET remaining = l.remaining - t.points FROM taken t WHERE l.id = t.lot_id RETURNING t.points)
                UPDATE points_entry SET unallocated = unallocated - (SELECT coalesce(sum(points), 0) FROM spent) WHERE id = :debit""",
                NativeSql.params("debit", debit, "customer", customer, "prefer", NativeSql.json(prefer), "now", NativeSql.utc(Instant.now(clock))));
    }

    /** Pays the customer's debts (oldest first) from lots that have become available. */
    public Uni<Void> settleDebt(UUID customer) {
        return NativeSql.list("SELECT id FROM points_entry WHERE customer_id = :customer AND unallocated > 0 ORDER BY id", Long.class,
                Map.of("customer", customer))
                .flatMap(debts -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object debt : debts) {
                        chain = chain.flatMap(x -> allocate(((Number) debt).longValue(), customer, List.of()).replaceWithVoid());
                    }
                    return chain;
                });
    }

    /** The customer's points now: available (after debts and open reservations), pending, expiring soon, lifetime totals. */
    public Uni<Balance> balance(UUID customer) {
        return totals(customer).map(r -> {
            long uncommitted = uncommitted(r);
            return new Balance(customer, Math.max(0, uncommitted), n(r[1]), n(r[3]), n(r[2]), n(r[4]), NativeSql.instant(r[5]), n(r[6]),
                    n(r[7]), n(r[8]));
        });
    }

    /**
     * Available points less debts and open reservations, unclamped: negative when points a reservation holds expired
     * after it was made.
     */
    public Uni<Long> uncommitted(UUID customer) {
        return totals(customer).map(Ledger::uncommitted);
    }

    private static long uncommitted(Object[] totals) {
        return n(totals[0]) - n(totals[2]) - n(totals[3]);
    }

    private Uni<Object[]> totals(UUID customer) {
        Instant now = Instant.now(clock);
        return NativeSql.list("""
                SELECT coalesce(sum(remaining) FILTER (WHERE remaining > 0 AND vested AND (expires_at IS NULL OR expires_at > :now)), 0),
                       coalesce(sum(remaining) FILTER (WHERE remaining > 0 AND NOT vested), 0),
                       coalesce(sum(unallocated) FILTER (WHERE unallocated > 0), 0),
                       (SELECT coalesce(sum(points), 0) FROM redemption WHERE customer_id = :customer AND status = 'reserved' AND hold_until > :now),
                       coalesce(sum(remaining) FILTER (WHERE remaining > 0 AND vested AND expires_at > :now AND expires_at <= :soon), 0),
                       min(expires_at) FILTER (WHERE remaining > 0 AND vested AND expires_at > :now),
                       coalesce(sum(points) FILTER (WHERE kind = 'earn'), 0),
                       coalesce(-sum(points) FILTER (WHERE kind = 'redeem'), 0),
                       coalesce(-sum(points) FILTER (WHERE kind = 'expire'), 0)
                FROM points_entry WHERE customer_id = :customer""", Object[].class,
                NativeSql.params("customer", customer, "now", NativeSql.utc(now), "soon", NativeSql.utc(now.plus(config.expiryNotice()))))
                .map(rows -> rows.get(0));
    }

    /** The customer's entries, newest first, before entry {@code before} (keyset). */
    public Uni<List<Entry>> entries(UUID customer, Long before, int limit) {
        return NativeSql.list("SELECT " + ENTRY_COLUMNS + " FROM points_entry WHERE customer_id = :customer"
                + " AND (CAST(:before AS bigint) IS NULL OR id < :before) ORDER BY id DESC LIMIT :limit", Object[].class,
                NativeSql.params("customer", customer, "before", before, "limit", limit))
                .map(rows -> rows.stream().map(Ledger::entry).toList());
    }

    static Entry entry(Object[] r) {
        boolean lot = r[8] != null;
        String state = !lot ? (n(r[9]) > 0 ? "owed" : "settled")
                : !(Boolean) r[5] ? "pending" : n(r[8]) == 0 ? "consumed" : "available";
        return new Entry(n(r[0]), (String) r[1], (int) n(r[2]), (String) r[3], (String) r[4], state, NativeSql.instant(r[6]),
                NativeSql.instant(r[7]), lot ? (int) n(r[8]) : null, (String) r[10], NativeSql.instant(r[11]), NativeSql.instant(r[12]));
    }

    /** A numeric column of a native row as a long; 0 for NULL. */
    public static long n(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

}
