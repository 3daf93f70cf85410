package io.custops.community.loyalty;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.custops.community.config.LoyaltyConfig;
import io.custops.events.EventType;
import io.custops.events.payload.PointsExpired;
import io.custops.events.payload.PointsExpiring;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.outbox.OutboxEvent;
import io.custops.platform.persistence.NativeSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The ledger's clock, a bounded batch per statement and safe on several replicas (claimed lots are locked, then
 * their customers, like every other ledger write): pending order points become available when the refund window
 * closes (paying debts first); customers are told before points expire (PointsExpiring, once per lot); points expire
 * first in, first out (PointsExpired); unconfirmed reservations lapse; due tier downgrades are carried out.
 */
@ApplicationScoped
public class LedgerSweeps {
    private static final Logger LOG = Logger.getLogger(LedgerSweeps.class);

    private final Ledger ledger;
    private final Redemptions redemptions;
    private final LoyaltyTiers tiers;
    private final EventOutbox outbox;
    private final LoyaltyConfig config;
    private final Clock clock;

    public LedgerSweeps(Ledger ledger, Redemptions redemptions, LoyaltyTiers tiers, EventOutbox outbox, LoyaltyConfig config, Clock clock) {
        this.ledger = ledger;
        this.redemptions = redemptions;
        this.tiers = tiers;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${custops.loyalty.sweep-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> sweep() {
        return Panache.withTransaction(this::vest)
                .flatMap(x -> Panache.withTransaction(this::notice))
                .flatMap(x -> Panache.withTransaction(this::expire))
                .flatMap(x -> Panache.withTransaction(redemptions::lapse))
                .flatMap(x -> Panache.withTransaction(this::downgrade))
                .onFailure().invoke(e -> LOG.warnf(e, "Ledger sweep failed; the next one retries"))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Finds members whose rolling window aged them below their tier (they get a downgrade date). */
    @Scheduled(every = "${custops.loyalty.tier-review-interval:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> reviewTiers() {
        return Panache.withTransaction(tiers::review)
                .onFailure().invoke(e -> LOG.warnf(e, "Tier review failed; the next one retries"))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Members whose downgrade date came are evaluated once more and downgraded if they still fall short. */
    Uni<Integer> downgrade() {
        return tiers.dueDowngrades(config.sweepBatch()).flatMap(customers -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (UUID customer : customers) {
                chain = chain.flatMap(x -> Ledger.lock(customer)).flatMap(x -> tiers.evaluate(customer, true));
            }
            return chain.replaceWith(customers.size());
        });
    }

    /** Pending lots whose refund window closed become available; their customers' debts are paid from them. */
    Uni<Integer> vest() {
        return NativeSql.list("""
                WITH vested AS (
                    UPDATE points_entry SET vested = true
                    WHERE id IN (SELECT id FROM points_entry WHERE NOT vested AND vests_at <= :now ORDER BY vests_at
                                 LIMIT :limit FOR UPDATE SKIP LOCKED)
                    RETURNING customer_id)
                SELECT DISTINCT v.customer_id FROM vested v
                WHERE EXISTS (SELECT 1 FROM points_entry d WHERE d.customer_id = v.customer_id AND d.unallocated > 0)""", UUID.class, params())
                .flatMap(debtors -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (UUID debtor : debtors) {
                        chain = chain.flatMap(x -> Ledger.lock(debtor)).flatMap(x -> ledger.settleDebt(debtor));
                    }
                    return chain.replaceWith(debtors.size());
                });
    }

    /** One PointsExpiring per customer for the lots that expire within the notice period and were not announced yet. */
    Uni<Integer> notice() {
        Instant now = Instant.now(clock);
        return NativeSql.list("""
                WITH due AS (
                    SELECT id, customer_id, remaining, expires_at FROM points_entry
                    WHERE remaining > 0 AND vested AND expires_at > :now AND expires_at <= :soon
                      AND NOT EXISTS (SELECT 1 FROM expiry_notice n WHERE n.lot_id = points_entry.id)
                    ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED),
                noted AS (INSERT INTO expiry_notice (lot_id, noticed_at) SELECT id, :now FROM due ON CONFLICT DO NOTHING RETURNING lot_id)
                SELECT d.customer_id, sum(d.remaining), min(d.expires_at) FROM due d JOIN noted n ON n.lot_id = d.id GROUP BY d.customer_id""",
                Object[].class, NativeSql.with(params(), "soon", NativeSql.utc(now.plus(config.expiryNotice()))))
                .flatMap(rows -> {
                    List<OutboxEvent> events = new ArrayList<>();
                    for (Object[] r : rows) {
                        UUID customer = (UUID) r[0];
                        events.add(outbox.prepare(EventType.POINTS_EXPIRING, customer, new PointsExpiring(customer, (int) Ledger.n(r[1]),
                                NativeSql.instant(r[2]), now)));
                    }
                    return outbox.recordAll(events).replaceWith(rows.size());
                });
    }

    /** What is left of lots past their expiry expires, each lot with its own entry (PointsExpired). */
    Uni<Integer> expire() {
        Instant now = Instant.now(clock);
        Map<String, Object> params = params();
        return NativeSql.list("""
                SELECT count(pg_advisory_xact_lock(hashtextextended(CAST(customer_id AS text), 11))) FROM (
                    SELECT DISTINCT customer_id FROM (SELECT customer_id FROM points_entry WHERE remaining > 0 AND expires_at <= :now
                                                      ORDER BY expires_at LIMIT :limit) d ORDER BY customer_id) c""", Long.class, params)
                .flatMap(x -> NativeSql.list("""
                        WITH due AS (
                            SELECT id, customer_id, remaining FROM points_entry WHERE remaining > 0 AND expires_at <= :now
                            ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED),
                        expired AS (
                            INSERT INTO points_entry (customer_id, kind, points, reason, reference, vested, unallocated, dedupe_key, occurred_at,
                                created_at)
                            SELECT customer_id, 'expire', -remaining, 'expiry', CAST(id AS text), true, 0, 'expiry:' || id, :now, :now FROM due
                            RETURNING id, customer_id, -points AS points, CAST(reference AS bigint) AS lot_id),
                        allocated AS (INSERT INTO points_allocation (debit_id, lot_id, points) SELECT id, lot_id, points FROM expired RETURNING 1),
                        emptied AS (UPDATE points_entry l SET remaining = 0 FROM due WHERE l.id = due.id RETURNING 1)
                        SELECT id, customer_id, points FROM expired ORDER BY id""", Object[].class, params))
                .flatMap(rows -> {
                    List<OutboxEvent> events = new ArrayList<>();
                    for (Object[] r : rows) {
                        UUID customer = (UUID) r[1];
                        events.add(outbox.prepare(EventType.POINTS_EXPIRED, customer, new PointsExpired(customer, Ledger.n(r[0]),
                                (int) Ledger.n(r[2]), now)));
                    }
                    return outbox.recordAll(events).replaceWith(rows.size());
                });
    }

    private Map<String, Object> params() {
        return NativeSql.params("now", NativeSql.utc(Instant.now(clock)), "limit", config.sweepBatch());
    }
}
