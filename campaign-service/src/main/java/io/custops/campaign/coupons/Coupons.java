package io.custops.campaign.coupons;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.campaign.rest.dto.CouponDtos.CouponView;
import io.custops.campaign.rest.dto.CouponDtos.Counts;
import io.custops.campaign.rest.dto.CouponDtos.PoolRequest;
import io.custops.campaign.rest.dto.CouponDtos.PoolView;
import io.custops.campaign.rest.dto.CouponDtos.UploadResult;
import io.custops.events.EventType;
import io.custops.events.payload.CouponIssued;
import io.custops.events.payload.CouponRedeemed;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Coupon pools, issuance and redemption. Issuing takes a transaction-scoped lock on the pool and customer, so
 * concurrent requests can never exceed the per-customer limit; an uploaded pool hands out its codes with
 * {@code FOR UPDATE SKIP LOCKED}. An issue key (a journey step, an Idempotency-Key) issues one coupon however often
 * it is retried. Redemption is once per coupon, by its customer, before it expires.
 */
@ApplicationScoped
public class Coupons {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String POOL = "id, name, kind, prefix, discount, per_customer_limit, valid_days, expires_at, cost, currency, status, created_at";
    private static final String COUPON = "code, pool_id, status, customer_id, source, issued_at, expires_at, redeemed_at, order_id";

    private final EventOutbox outbox;
    private final Clock clock;

    public Coupons(EventOutbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    public Uni<PoolView> create(PoolRequest r, String actor) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r == null) {
            throw ProblemException.badRequest("A pool is required.", List.of());
        }
        if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
            errors.add(new Problem.FieldError("name", "is required, at most 200 characters"));
        }
        if (!"generated".equals(r.kind()) && !"uploaded".equals(r.kind())) {
            errors.add(new Problem.FieldError("kind", "must be generated or uploaded"));
        }
        if (r.prefix() != null && !r.prefix().matches("^[A-Z0-9-]{0,20}$")) {
            errors.add(new Problem.FieldError("prefix", "must be up to 20 upper-case letters, digits or -"));
        }
        if (r.discount() == null || r.discount().isBlank() || r.discount().length() > 100) {
            errors.add(new Problem.FieldError("discount", "is required: what the coupon gives, e.g. 15% or 10 EUR"));
        }
        if (r.perCustomerLimit() != null && (r.perCustomerLimit() < 1 || r.perCustomerLimit() > 1000)) {
            errors.add(new Problem.FieldError("perCustomerLimit", "must be 1 to 1000"));
        }
        if (r.validDays() != null && (r.validDays() < 1 || r.validDays() > 3660)) {
            errors.add(new Problem.FieldError("validDays", "must be 1 to 3660"));
        }
        if (r.cost() != null && r.cost().signum() < 0) {
            errors.add(new Problem.FieldError("cost", "must not be negative"));
        }
        if (r.currency() != null && !r.currency().matches("^[A-Z]{3}$")) {
            errors.add(new Problem.FieldError("currency", "must be an ISO 4217 code"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The coupon pool has invalid fields.", errors);
        }
        UUID id = UUID.randomUUID();
        return NativeSql.execute("""
                INSERT INTO coupon_pool (id, name, kind, prefix, discount, per_customer_limit, valid_days, expires_at, cost, currency, status,
                    created_by, created_at, budget_pool_id)
                VALUES (:id, :name, :kind, :prefix, :discount, :limit, :validDays, :expiresAt, :cost, :currency, 'active', :actor, now(), :budget)
                ON CONFLICT DO NOTHING""", NativeSql.params("id", id, "name", r.name().trim(), "kind", r.kind(),
                "prefix", r.prefix() == null ? "" : r.prefix(), "discount", r.discount(), "limit", r.perCustomerLimit() == null ? 1 : r.perCustomerLimit(),
                "validDays", r.validDays(), "expiresAt", r.expiresAt() == null ? null : r.expiresAt().atOffset(ZoneOffset.UTC),
                "cost", r.cost() == null ? BigDecimal.ZERO : r.cost(), "currency", r.currency() == null ? "EUR" : r.currency(), "actor", actor,
                "budget", r.budgetPoolId()))
                .flatMap(inserted -> {
                    if (inserted == 0) {
                        throw ProblemException.conflict("A coupon pool named '" + r.name().trim() + "' exists already.");
                    }
                    return pool(id);
                });
    }

    public Uni<PoolView> pool(UUID id) {
        return NativeSql.list("SELECT " + POOL + " FROM coupon_pool WHERE id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().orElseThrow(() -> ProblemException.notFound("No coupon pool " + id + ".")))
                .flatMap(row -> NativeSql.list("""
                        SELECT count(*) FILTER (WHERE status = 'available'), count(*) FILTER (WHERE status = 'issued'),
                               count(*) FILTER (WHERE status = 'redeemed'), count(*) FILTER (WHERE status = 'expired')
                        FROM coupon WHERE pool_id = :id""", Object[].class, Map.of("id", id))
                        .map(counts -> view(row, counts.get(0))));
    }

    public Uni<List<PoolView>> pools() {
        return NativeSql.list("SELECT " + POOL + " FROM coupon_pool ORDER BY created_at DESC LIMIT 500", Object[].class, Map.of())
                .map(rows -> rows.stream().map(r -> view(r, null)).toList());
    }

    public Uni<PoolView> close(UUID id) {
        return NativeSql.execute("UPDATE coupon_pool SET status = 'closed' WHERE id = :id", Map.of("id", id)).flatMap(x -> pool(id));
    }

    /** Adds codes to an uploaded pool; codes already known (in any pool) are counted as duplicates. */
    public Uni<UploadResult> upload(UUID id, List<String> codes) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (codes == null || codes.isEmpty() || codes.size() > 10_000) {
            errors.add(new Problem.FieldError("codes", "must hold 1 to 10000 codes"));
        } else {
            for (int i = 0; i < codes.size(); i++) {
                if (codes.get(i) == null || !codes.get(i).matches("^[A-Za-z0-9-]{4,64}$")) {
                    errors.add(new Problem.FieldError("codes[" + i + "]", "must be 4 to 64 letters, digits or -"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The codes are not valid.", errors.subList(0, Math.min(errors.size(), 20)));
        }
        return pool(id).flatMap(pool -> {
            if (!"uploaded".equals(pool.kind())) {
                throw ProblemException.conflict("Pool " + id + " generates its codes; codes are uploaded to pools of kind uploaded.");
            }
            List<Map<String, Object>> rows = codes.stream().distinct().map(code -> Map.<String, Object>of("code", code)).toList();
            return NativeSql.execute("""
                    INSERT INTO coupon (code, pool_id, status)
                    SELECT x.code, :pool, 'available' FROM jsonb_to_recordset(CAST(CAST(:codes AS text) AS jsonb)) AS x(code text)
                    ON CONFLICT DO NOTHING""", Map.of("pool", id, "codes", NativeSql.json(rows)))
                    .map(added -> new UploadResult(added, codes.size() - added));
        });
    }

    /**
     * Issues a coupon of the pool to the customer in the current transaction, with its CouponIssued event; with an
     * {@code issueKey} already used, the coupon issued then. 409 when the pool is closed or expired, the customer's
     * limit is reached or an uploaded pool has no codes left.
     */
    public Uni<CouponView> issue(UUID poolId, UUID customer, String source, String issueKey) {
        if (customer == null) {
            throw ProblemException.badRequest("A customer is required.", List.of(new Problem.FieldError("customerId", "is required")));
        }
        Map<String, Object> key = NativeSql.params("key", issueKey);
        Uni<List<CouponView>> earlier = issueKey == null ? Uni.createFrom().item(List.of())
                : NativeSql.list("SELECT " + COUPON + " FROM coupon WHERE issue_key = :key", Object[].class, key)
                        .map(rows -> rows.stream().map(Coupons::coupon).toList());
        return earlier.flatMap(found -> !found.isEmpty() ? Uni.createFrom().item(found.get(0)) : pool(poolId).flatMap(pool -> {
            Instant now = Instant.now(clock);
            if (!"active".equals(pool.status()) || pool.expiresAt() != null && !pool.expiresAt().isAfter(now)) {
                throw ProblemException.conflict("Coupon pool " + poolId + " is closed or expired.");
            }
            Instant expires = pool.validDays() == null ? pool.expiresAt() : earliest(now.plus(java.time.Duration.ofDays(pool.validDays())), pool.expiresAt());
            Map<String, Object> params = NativeSql.params("pool", poolId, "customer", customer, "source", source, "key", issueKey,
                    "now", now.atOffset(ZoneOffset.UTC), "expires", expires == null ? null : expires.atOffset(ZoneOffset.UTC),
                    "code", pool.prefix() + (pool.prefix().isEmpty() ? "" : "-") + randomCode(8));
            return NativeSql.list("SELECT count(pg_advisory_xact_lock(hashtextextended(CAST(CAST(:pool AS uuid) AS text) || CAST(CAST(:customer AS uuid) AS text), 11)))",
                    Long.class, params)
                    .flatMap(x -> NativeSql.single("SELECT count(*) FROM coupon WHERE pool_id = :pool AND customer_id = :customer", Long.class, params))
                    .flatMap(held -> {
                        if (held >= pool.perCustomerLimit()) {
                            throw ProblemException.conflict("Customer " + customer + " holds " + held + " coupon(s) of pool " + poolId
                                    + ": the limit is " + pool.perCustomerLimit() + ".");
                        }
                        String sql = "generated".equals(pool.kind()) ? """
                                INSERT INTO coupon (code, pool_id, status, customer_id, source, issue_key, issued_at, expires_at)
                                VALUES (:code, :pool, 'issued', :customer, :source, :key, :now, :expires) RETURNING %s""".formatted(COUPON) : """
                                UPDATE coupon SET status = 'issued', customer_id = :customer, source = :source, issue_key = :key, issued_at = :now,
                                    expires_at = :expires
                                WHERE code = (SELECT code FROM coupon WHERE pool_id = :pool AND status = 'available'
                                              ORDER BY code LIMIT 1 FOR UPDATE SKIP LOCKED)
                                RETURNING %s""".formatted(COUPON);
                        return NativeSql.list(sql, Object[].class, params);
                    })
                    .flatMap(rows -> {
                        if (rows.isEmpty()) {
                            throw ProblemException.conflict("Coupon pool " + poolId + " has no codes left.");
                        }
                        CouponView c = coupon(rows.get(0));
                        return outbox.record(EventType.COUPON_ISSUED, customer,
                                new CouponIssued(customer, poolId, c.code(), source, c.expiresAt(), c.issuedAt())).replaceWith(c);
                    });
        }));
    }

    /** Redeems an issued coupon for its customer, once; a code that is unknown or someone else's is 404. */
    public Uni<CouponView> redeem(String code, UUID customer, String orderId) {
        if (code == null || customer == null) {
            throw ProblemException.badRequest("A code and a customer are required.",
                    List.of(new Problem.FieldError(code == null ? "code" : "customerId", "is required")));
        }
        Instant now = Instant.now(clock);
        return NativeSql.list("SELECT " + COUPON + " FROM coupon WHERE code = :code AND customer_id = :customer FOR UPDATE", Object[].class,
                Map.of("code", code, "customer", customer))
                .flatMap(rows -> {
                    CouponView c = rows.stream().findFirst().map(Coupons::coupon)
                            .orElseThrow(() -> ProblemException.notFound("No coupon " + code + " for this customer."));
                    if ("redeemed".equals(c.status())) {
                        throw ProblemException.conflict("Coupon " + code + " was redeemed at " + c.redeemedAt() + ".");
                    }
                    if ("expired".equals(c.status()) || c.expiresAt() != null && !c.expiresAt().isAfter(now)) {
                        throw ProblemException.conflict("Coupon " + code + " expired at " + c.expiresAt() + ".");
                    }
                    return NativeSql.list("UPDATE coupon SET status = 'redeemed', redeemed_at = :now, order_id = :order WHERE code = :code"
                            + " RETURNING " + COUPON, Object[].class, NativeSql.params("code", code, "now", now.atOffset(ZoneOffset.UTC), "order", orderId))
                            // the redemption's cost goes to the pool's budget
                            .call(updated -> NativeSql.execute("""
                                    UPDATE budget_pool b SET spent = b.spent + p.cost FROM coupon_pool p
                                    WHERE p.id = :pool AND b.id = p.budget_pool_id""", Map.of("pool", c.poolId())))
                            .flatMap(updated -> {
                                CouponView r = coupon(updated.get(0));
                                return outbox.record(EventType.COUPON_REDEEMED, customer,
                                        new CouponRedeemed(customer, r.poolId(), code, orderId, now)).replaceWith(r);
                            });
                });
    }

    /** Redeems the codes an order names, for its customer: codes that cannot be redeemed are skipped. */
    public Uni<Void> redeemWithOrder(UUID customer, String orderId, List<String> codes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String code : codes) {
            chain = chain.flatMap(x -> NativeSql.list("SELECT code FROM coupon WHERE code = :code AND customer_id = :customer"
                    + " AND status = 'issued' AND (expires_at IS NULL OR expires_at > now())", String.class,
                    Map.of("code", code, "customer", customer)))
                    .flatMap(found -> found.isEmpty() ? Uni.createFrom().voidItem() : redeem(code, customer, orderId).replaceWithVoid());
        }
        return chain;
    }

    public Uni<List<CouponView>> ofCustomer(UUID customer) {
        return NativeSql.list("SELECT " + COUPON + " FROM coupon WHERE customer_id = :customer ORDER BY issued_at DESC LIMIT 500",
                Object[].class, Map.of("customer", customer)).map(rows -> rows.stream().map(Coupons::coupon).toList());
    }

    /** Issued coupons past their expiry become expired, in batches. */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expire() {
        return Panache.withTransaction(() -> NativeSql.execute("""
                UPDATE coupon SET status = 'expired' WHERE code IN (SELECT code FROM coupon WHERE status = 'issued' AND expires_at <= now()
                    LIMIT 10000 FOR UPDATE SKIP LOCKED)""", Map.of())).replaceWithVoid();
    }

    private static Instant earliest(Instant a, Instant b) {
        return b == null || a.isBefore(b) ? a : b;
    }

    private static String randomCode(int length) {
        StringBuilder code = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    private static PoolView view(Object[] r, Object[] counts) {
        Counts c = null;
        if (counts != null) {
            long issued = ((Number) counts[1]).longValue(), redeemed = ((Number) counts[2]).longValue(), expired = ((Number) counts[3]).longValue();
            long handedOut = issued + redeemed + expired;
            c = new Counts(((Number) counts[0]).longValue(), issued, redeemed, expired, handedOut == 0 ? BigDecimal.ZERO
                    : BigDecimal.valueOf(redeemed).divide(BigDecimal.valueOf(handedOut), 4, RoundingMode.HALF_UP));
        }
        return new PoolView((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], ((Number) r[5]).intValue(),
                r[6] == null ? null : ((Number) r[6]).intValue(), NativeSql.instant(r[7]), new BigDecimal(r[8].toString()), (String) r[9],
                (String) r[10], NativeSql.instant(r[11]), c);
    }

    private static CouponView coupon(Object[] r) {
        return new CouponView((String) r[0], (UUID) r[1], (String) r[2], (UUID) r[3], (String) r[4], NativeSql.instant(r[5]),
                NativeSql.instant(r[6]), NativeSql.instant(r[7]), (String) r[8]);
    }
}
