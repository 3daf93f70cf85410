package io.custops.community.loyalty;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.custops.community.rest.dto.LoyaltyDtos.EarnRuleView;
import io.custops.community.rest.dto.LoyaltyDtos.ReferralCode;
import io.custops.community.rest.dto.LoyaltyDtos.ReferralView;
import io.custops.events.EventType;
import io.custops.events.payload.ReferralCompleted;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Referrals: a code per member; a new customer claims one within the window after registering and before any order.
 * Guards: not one's own code, a referee is referred once, each stage (registered, first-order) rewards referrer and
 * referee once by the referral rules of the stage (the referrer's reward within its cap), announced as ReferralCompleted.
 */
@ApplicationScoped
public class Referrals {
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, referrer_id, referee_id, source, claimed_at, first_order_id, first_order_at";

    private final EarnRules rules;
    private final EventOutbox outbox;
    private final Duration claimWindow;

    public Referrals(EarnRules rules, EventOutbox outbox, @ConfigProperty(name = "custops.referrals.claim-window", defaultValue = "30d")
            Duration claimWindow) {
        this.rules = rules;
        this.outbox = outbox;
        this.claimWindow = claimWindow;
    }

    /** The member's code (made on first use) with their referral counts. */
    public Uni<ReferralCode> codeOf(UUID customer) {
        return NativeSql.execute("""
                INSERT INTO referral_code (customer_id, code, created_at) VALUES (:customer, :code, now()) ON CONFLICT DO NOTHING""",
                Map.of("customer", customer, "code", newCode()))
                .flatMap(x -> NativeSql.list("""
                        SELECT c.code, (SELECT count(*) FROM referral r WHERE r.referrer_id = c.customer_id),
                               (SELECT count(*) FROM referral r WHERE r.referrer_id = c.customer_id AND r.first_order_at IS NOT NULL),
                               (SELECT coalesce(sum(points), 0) FROM points_entry p WHERE p.customer_id = c.customer_id AND p.reason = 'referral'
                                  AND p.kind = 'earn')
                        FROM referral_code c WHERE c.customer_id = :customer""", Object[].class, Map.of("customer", customer)))
                .map(rows -> {
                    Object[] r = rows.get(0);
                    return new ReferralCode(customer, (String) r[0], Ledger.n(r[1]), Ledger.n(r[2]), Ledger.n(r[3]));
                });
    }

    /** Attributes the referee to the code's owner and rewards the registration stage. */
    public Uni<ReferralView> claim(UUID referee, String code, String source) {
        if (code == null || code.isBlank() || code.length() > 32) {
            throw ProblemException.badRequest("A referral code is required.", List.of(new io.custops.platform.problem.Problem.FieldError("code",
                    "is required")));
        }
        return Ledger.lock(referee)
                .flatMap(x -> NativeSql.list("SELECT customer_id FROM referral_code WHERE code = :code", UUID.class,
                        Map.of("code", code.trim().toUpperCase())))
                .flatMap(owners -> {
                    if (owners.isEmpty()) {
                        throw ProblemException.notFound("No referral code " + code + ".");
                    }
                    return RetiredCustomers.liveId(owners.get(0)).map(live -> live.orElseThrow(() -> ProblemException.notFound(
                            "No referral code " + code + ".")));
                })
                .flatMap(referrer -> {
                    if (referrer.equals(referee)) {
                        throw ProblemException.conflict("A member cannot refer themselves.");
                    }
                    return NativeSql.list("""
                            SELECT (SELECT count(*) FROM referral WHERE referee_id = :referee),
                                   (SELECT count(*) FROM order_points WHERE customer_id = :referee),
                                   (SELECT registered_at < now() - make_interval(secs => :window) FROM customer_registration WHERE customer_id = :referee),
                                   (SELECT count(*) FROM referral WHERE referrer_id = :referee AND referee_id = :referrer)""", Object[].class,
                            NativeSql.params("referee", referee, "referrer", referrer, "window", (double) claimWindow.toSeconds()))
                            .flatMap(rows -> {
                                Object[] r = rows.get(0);
                                if (Ledger.n(r[0]) > 0) {
                                    throw ProblemException.conflict("This customer was referred already.");
                                }
                                if (Ledger.n(r[1]) > 0) {
                                    throw ProblemException.conflict("Only new customers can be referred: this one has ordered already.");
                                }
                                if (Boolean.TRUE.equals(r[2])) {
                                    throw ProblemException.conflict("A referral is claimed within " + claimWindow.toDays() + " days of registering.");
                                }
                                if (Ledger.n(r[3]) > 0) {
                                    throw ProblemException.conflict("Two members cannot refer each other.");
                                }
                                UUID id = UUID.randomUUID();
                                return NativeSql.execute("""
                                        INSERT INTO referral (id, referrer_id, referee_id, code, source, claimed_at)
                                        VALUES (:id, :referrer, :referee, :code, :source, now())""",
                                        NativeSql.params("id", id, "referrer", referrer, "referee", referee, "code", code.trim().toUpperCase(),
                                                "source", source))
                                        .flatMap(y -> reward(id, referrer, referee, "registered", Instant.now()))
                                        .flatMap(y -> get(id));
                            });
                });
    }

    /** The referee's first order after the claim rewards the first-order stage (once). */
    public Uni<Void> ordered(UUID referee, String orderId, Instant placedAt) {
        return NativeSql.list("""
                UPDATE referral SET first_order_id = :order, first_order_at = :at WHERE referee_id = :referee AND first_order_at IS NULL
                RETURNING id, referrer_id""", Object[].class, NativeSql.params("referee", referee, "order", orderId, "at", NativeSql.utc(placedAt)))
                .flatMap(rows -> rows.isEmpty() ? Uni.createFrom().voidItem()
                        : Ledger.lock((UUID) rows.get(0)[1]).flatMap(x -> reward((UUID) rows.get(0)[0], (UUID) rows.get(0)[1], referee,
                                "first-order", placedAt)));
    }

    private Uni<Void> reward(UUID referral, UUID referrer, UUID referee, String stage, Instant at) {
        return Ledger.lock(referrer).flatMap(x -> rules.referral(stage)).flatMap(active -> {
            Uni<int[]> earned = Uni.createFrom().item(new int[2]);
            for (EarnRuleView rule : active) {
                earned = earned.flatMap(sum -> rules.award(rule, referrer, rule.points(), "referral", referral.toString(), at, null,
                        "referral:" + referral + ":" + stage + ":referrer:" + rule.id())
                        .map(credited -> {
                            sum[0] += credited;
                            return sum;
                        })
                        .flatMap(s -> rule.refereePoints() == null || rule.refereePoints() == 0 ? Uni.createFrom().item(s)
                                : rules.award(rule, referee, rule.refereePoints(), "referral", referral.toString(), at, null,
                                        "referral:" + referral + ":" + stage + ":referee:" + rule.id())
                                        .map(credited -> {
                                            s[1] += credited;
                                            return s;
                                        })));
            }
            return earned.flatMap(sum -> outbox.record(EventType.REFERRAL_COMPLETED, referrer, new ReferralCompleted(referrer, referral, referee,
                    stage, sum[0], sum[1], at))).replaceWithVoid();
        });
    }

    public Uni<ReferralView> get(UUID id) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM referral WHERE id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(Referrals::view).orElseThrow(() -> ProblemException.notFound("No referral " + id + ".")));
    }

    /** Whom the member referred, newest first. */
    public Uni<List<ReferralView>> byReferrer(UUID referrer, int limit) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM referral WHERE referrer_id = :referrer ORDER BY claimed_at DESC, id LIMIT :limit",
                Object[].class, Map.of("referrer", referrer, "limit", limit)).map(rows -> rows.stream().map(Referrals::view).toList());
    }

    /** Records when a customer registered (ProfileRegistered), for the claim window. */
    public static Uni<Void> registered(UUID customer, Instant at) {
        return NativeSql.execute("""
                INSERT INTO customer_registration (customer_id, registered_at) VALUES (:customer, :at)
                ON CONFLICT (customer_id) DO UPDATE SET registered_at = least(customer_registration.registered_at, excluded.registered_at)""",
                Map.of("customer", customer, "at", NativeSql.utc(at))).replaceWithVoid();
    }

    private static String newCode() {
        char[] code = new char[8];
        for (int i = 0; i < code.length; i++) {
            code[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(code);
    }

    private static ReferralView view(Object[] r) {
        return new ReferralView((UUID) r[0], (UUID) r[1], (UUID) r[2], (String) r[3], NativeSql.instant(r[4]), (String) r[5],
                NativeSql.instant(r[6]));
    }
}
