package io.custops.community.activities;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.custops.community.loyalty.EarnRules;
import io.custops.community.loyalty.Ledger;
import io.custops.community.rest.dto.ActivityDtos.ChallengeProgress;
import io.custops.community.rest.dto.ActivityDtos.ChallengeRequest;
import io.custops.community.rest.dto.ActivityDtos.ChallengeView;
import io.custops.community.rest.dto.ActivityDtos.DailyCheckIn;
import io.custops.community.rest.dto.LoyaltyDtos.EarnRuleView;
import io.custops.events.EventType;
import io.custops.events.payload.ChallengeCompleted;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Daily check-ins with streaks, and challenges: a streak of daily check-ins, posts in each week or month, attended
 * activities. Progress is counted from what members did; a completion is recorded once (per period for a per-period
 * challenge), announced as ChallengeCompleted and rewarded by the challenge earn rules plus the challenge's bonus.
 */
@ApplicationScoped
public class Challenges {
    static final Set<String> KINDS = Set.of("daily-check-in-streak", "posts-in-period", "activities-attended");
    private static final String COLUMNS = "c.id, c.community_id, c.name, c.kind, c.target, c.period, c.starts_at, c.ends_at, c.bonus_points, c.active,"
            + " (SELECT count(*) FROM challenge_completion k WHERE k.challenge_id = c.id)";
    /** Progress of customer :customer in challenge c, now: the streak, the posts in the current period, the activities attended. */
    private static final String PROGRESS = """
            CASE c.kind
              WHEN 'daily-check-in-streak' THEN (SELECT CASE WHEN s.last_day >= CAST(:today AS date) - 1 THEN s.current ELSE 0 END
                                                 FROM member_streak s WHERE s.customer_id = :customer)
              WHEN 'posts-in-period' THEN (SELECT count(*) FROM post p WHERE p.author_id = :customer AND p.status <> 'erased'
                                           AND (c.community_id IS NULL OR p.community_id = c.community_id)
                                           AND p.created_at >= greatest(date_trunc(c.period, now(), 'UTC'), coalesce(c.starts_at, '-infinity'))
                                           AND p.created_at < least(coalesce(c.ends_at, 'infinity'), now() + interval '1 second'))
              ELSE (SELECT count(*) FROM activity_registration r JOIN activity a ON a.id = r.activity_id
                    WHERE r.customer_id = :customer AND r.status = 'attended' AND (c.community_id IS NULL OR a.community_id = c.community_id)
                      AND r.checked_in_at >= coalesce(c.starts_at, '-infinity') AND r.checked_in_at < coalesce(c.ends_at, 'infinity'))
            END""";

    private final EarnRules rules;
    private final Ledger ledger;
    private final EventOutbox outbox;

    public Challenges(EarnRules rules, Ledger ledger, EventOutbox outbox) {
        this.rules = rules;
        this.ledger = ledger;
        this.outbox = outbox;
    }

    public Uni<ChallengeView> create(ChallengeRequest r, String actor) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r == null) {
            throw ProblemException.badRequest("A challenge is required.", List.of());
        }
        if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
            errors.add(new Problem.FieldError("name", "is required, at most 200 characters"));
        }
        if (r.kind() == null || !KINDS.contains(r.kind())) {
            errors.add(new Problem.FieldError("kind", "one of " + KINDS));
        }
        if (r.target() == null || r.target() < 1 || r.target() > 1000) {
            errors.add(new Problem.FieldError("target", "1 to 1000"));
        }
        if ("posts-in-period".equals(r.kind()) != (r.period() != null) || (r.period() != null && !Set.of("week", "month").contains(r.period()))) {
            errors.add(new Problem.FieldError("period", "week or month, for posts-in-period only"));
        }
        if (r.startsAt() != null && r.endsAt() != null && !r.endsAt().isAfter(r.startsAt())) {
            errors.add(new Problem.FieldError("endsAt", "after startsAt"));
        }
        if (r.bonusPoints() != null && (r.bonusPoints() < 0 || r.bonusPoints() > 1_000_000)) {
            errors.add(new Problem.FieldError("bonusPoints", "0 to 1000000"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The challenge has invalid fields.", errors);
        }
        UUID id = UUID.randomUUID();
        return NativeSql.execute("""
                INSERT INTO challenge (id, community_id, name, kind, target, period, starts_at, ends_at, bonus_points, created_by, created_at)
                VALUES (:id, :community, :name, :kind, :target, :period, :starts, :ends, :bonus, :actor, now())""",
                NativeSql.params("id", id, "community", r.communityId(), "name", r.name().trim(), "kind", r.kind(), "target", r.target(),
                        "period", r.period(), "starts", NativeSql.utc(r.startsAt()), "ends", NativeSql.utc(r.endsAt()),
                        "bonus", r.bonusPoints() == null ? 0 : r.bonusPoints(), "actor", actor))
                .flatMap(x -> get(id));
    }

    public Uni<ChallengeView> get(UUID id) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM challenge c WHERE c.id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(Challenges::view).orElseThrow(() -> ProblemException.notFound("No challenge " + id + ".")));
    }

    public Uni<List<ChallengeView>> list() {
        return NativeSql.list("SELECT " + COLUMNS + " FROM challenge c WHERE c.active ORDER BY c.created_at DESC LIMIT 500", Object[].class, Map.of())
                .map(rows -> rows.stream().map(Challenges::view).toList());
    }

    /** The member's progress in every active challenge running now. */
    public Uni<List<ChallengeProgress>> progress(UUID customer) {
        return NativeSql.list("""
                SELECT c.id, c.name, c.kind, c.target, %s,
                       (SELECT k.completed_at FROM challenge_completion k WHERE k.challenge_id = c.id AND k.customer_id = :customer
                          AND k.period_key = %s)
                FROM challenge c WHERE c.active AND coalesce(c.starts_at, '-infinity') <= now() AND coalesce(c.ends_at, 'infinity') > now()
                ORDER BY c.created_at DESC LIMIT 500""".formatted(PROGRESS, periodKey()), Object[].class,
                NativeSql.params("customer", customer, "today", LocalDate.now(ZoneOffset.UTC)))
                .map(rows -> rows.stream().map(r -> new ChallengeProgress((UUID) r[0], (String) r[1], (String) r[2], ((Number) r[3]).intValue(),
                        (int) Math.min(Integer.MAX_VALUE, Ledger.n(r[4])), r[5] != null, NativeSql.instant(r[5]))).toList());
    }

    /** The member checks in for today (once a day); the streak grows on consecutive days. */
    public Uni<DailyCheckIn> checkIn(UUID customer) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, Object> params = NativeSql.params("customer", customer, "today", today);
        return Ledger.lock(customer)
                .flatMap(x -> NativeSql.execute("""
                        INSERT INTO daily_check_in (customer_id, day, checked_at) VALUES (:customer, :today, now()) ON CONFLICT DO NOTHING""", params))
                .flatMap(fresh -> (fresh == 0 ? Uni.createFrom().voidItem() : NativeSql.execute("""
                        INSERT INTO member_streak (customer_id, current, longest, last_day) VALUES (:customer, 1, 1, :today)
                        ON CONFLICT (customer_id) DO UPDATE SET
                            current = CASE WHEN member_streak.last_day = CAST(:today AS date) - 1 THEN member_streak.current + 1 ELSE 1 END,
                            longest = greatest(member_streak.longest,
                                CASE WHEN member_streak.last_day = CAST(:today AS date) - 1 THEN member_streak.current + 1 ELSE 1 END),
                            last_day = :today
                        WHERE member_streak.last_day < :today""", params)
                        .flatMap(y -> rules.engage(customer, "daily_check_in", today.toString(), Instant.now()))
                        .flatMap(y -> evaluate(customer, "daily-check-in-streak")))
                        .flatMap(y -> NativeSql.list("SELECT current, longest FROM member_streak WHERE customer_id = :customer", Object[].class, params))
                        .map(rows -> new DailyCheckIn(customer, today, ((Number) rows.get(0)[0]).intValue(), ((Number) rows.get(0)[1]).intValue(),
                                fresh == 0)));
    }

    /** Completes every active challenge of the kind that the customer's progress now reaches (call under the ledger lock). */
    public Uni<Void> evaluate(UUID customer, String kind) {
        return NativeSql.list("""
                SELECT c.id, c.kind, c.bonus_points, %s FROM challenge c
                WHERE c.active AND c.kind = :kind AND coalesce(c.starts_at, '-infinity') <= now() AND coalesce(c.ends_at, 'infinity') > now()
                  AND %s >= c.target
                  AND NOT EXISTS (SELECT 1 FROM challenge_completion k WHERE k.challenge_id = c.id AND k.customer_id = :customer
                                  AND k.period_key = %s)""".formatted(periodKey(), PROGRESS, periodKey()), Object[].class,
                NativeSql.params("customer", customer, "kind", kind, "today", LocalDate.now(ZoneOffset.UTC)))
                .flatMap(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object[] r : rows) {
                        chain = chain.flatMap(x -> complete(customer, (UUID) r[0], (String) r[1], ((Number) r[2]).intValue(), (String) r[3]));
                    }
                    return chain;
                });
    }

    private Uni<Void> complete(UUID customer, UUID challenge, String kind, int bonus, String periodKey) {
        Instant now = Instant.now();
        String reference = challenge + (periodKey.isEmpty() ? "" : ":" + periodKey);
        return NativeSql.execute("""
                INSERT INTO challenge_completion (challenge_id, customer_id, period_key, completed_at, points)
                VALUES (:challenge, :customer, :period, now(), 0) ON CONFLICT DO NOTHING""",
                Map.of("challenge", challenge, "customer", customer, "period", periodKey))
                .flatMap(fresh -> fresh == 0 ? Uni.createFrom().voidItem() : rules.active("challenge", null).flatMap(active -> {
                    Uni<Integer> points = Uni.createFrom().item(0);
                    for (EarnRuleView rule : active) {
                        points = points.flatMap(sum -> rules.award(rule, customer, rule.points(), "challenge", reference, now, null,
                                "challenge:" + reference + ":" + rule.id()).map(credited -> sum + credited));
                    }
                    if (bonus > 0) {
                        points = points.flatMap(sum -> ledger.credit(new Ledger.Credit(customer, "earn", bonus, "challenge", reference, null, now,
                                null, "challenge:" + reference + ":bonus", null, null)).map(entry -> entry.isPresent() ? sum + bonus : sum));
                    }
                    return points.flatMap(total -> NativeSql.execute("""
                            UPDATE challenge_completion SET points = :points WHERE challenge_id = :challenge AND customer_id = :customer
                              AND period_key = :period""", Map.of("points", total, "challenge", challenge, "customer", customer, "period", periodKey))
                            .flatMap(x -> outbox.record(EventType.CHALLENGE_COMPLETED, customer, new ChallengeCompleted(customer, challenge, kind,
                                    total, now))))
                            .replaceWithVoid();
                }));
    }

    /** The period a completion counts for: the UTC week or month of a per-period challenge, else none. */
    private static String periodKey() {
        return "CASE WHEN c.period IS NULL THEN '' ELSE to_char(date_trunc(c.period, now(), 'UTC'), 'YYYY-MM-DD') END";
    }

    private static ChallengeView view(Object[] r) {
        return new ChallengeView((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3], ((Number) r[4]).intValue(), (String) r[5],
                NativeSql.instant(r[6]), NativeSql.instant(r[7]), ((Number) r[8]).intValue(), (Boolean) r[9], Ledger.n(r[10]));
    }
}
