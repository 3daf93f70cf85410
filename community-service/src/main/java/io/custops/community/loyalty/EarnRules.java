package io.custops.community.loyalty;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.custops.community.rest.dto.LoyaltyDtos.EarnRuleRequest;
import io.custops.community.rest.dto.LoyaltyDtos.EarnRuleView;
import io.custops.events.payload.InteractionRecorded;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** What earns points, and how many a customer may earn by one rule in a period. */
@ApplicationScoped
public class EarnRules {
    static final Set<String> KINDS = Set.of("order", "engagement", "challenge", "referral");
    private static final Set<String> PERIODS = Set.of("day", "week", "month", "year");
    /** What an engagement rule can reward: an interaction type of InteractionRecorded, or an action inside the communities. */
    static final List<String> ENGAGEMENT_ACTIONS = java.util.stream.Stream.concat(InteractionRecorded.TYPES.stream(),
            java.util.stream.Stream.of("community_comment", "activity_check_in", "daily_check_in")).distinct().toList();
    private static final String COLUMNS = "id, name, kind, interaction, currency, points_per_unit, points, cap_points, cap_period, active,"
            + " version, created_by, created_at, updated_at, stage, referee_points";

    private final Ledger ledger;

    public EarnRules(Ledger ledger) {
        this.ledger = ledger;
    }

    public Uni<EarnRuleView> create(EarnRuleRequest request, String actor) {
        validate(request);
        UUID id = UUID.randomUUID();
        return NativeSql.execute("""
                INSERT INTO earn_rule (id, name, kind, interaction, currency, points_per_unit, points, cap_points, cap_period, active,
                    stage, referee_points, created_by, created_at, updated_at)
                VALUES (:id, :name, :kind, :interaction, :currency, :ppu, :points, :cap, :period, :active, :stage, :refereePoints, :actor,
                    now(), now())
                ON CONFLICT DO NOTHING""", NativeSql.with(params(request, id), "actor", actor))
                .flatMap(inserted -> {
                    if (inserted == 0) {
                        throw ProblemException.conflict("An earn rule named '" + request.name().trim() + "' exists already.");
                    }
                    return get(id);
                });
    }

    public Uni<EarnRuleView> update(UUID id, EarnRuleRequest request) {
        validate(request);
        if (request.version() == null) {
            throw ProblemException.badRequest("The rule's current version is required.",
                    List.of(new Problem.FieldError("version", "is required: the version you read")));
        }
        return NativeSql.execute("""
                UPDATE earn_rule SET name = :name, kind = :kind, interaction = :interaction, currency = :currency, points_per_unit = :ppu,
                    points = :points, cap_points = :cap, cap_period = :period, active = :active, stage = :stage, referee_points = :refereePoints,
                    version = version + 1, updated_at = now()
                WHERE id = :id AND version = :version""", NativeSql.with(params(request, id), "version", request.version()))
                .flatMap(updated -> get(id).map(rule -> {
                    if (updated == 0) {
                        throw ProblemException.conflict("Earn rule " + id + " is at version " + rule.version() + "; read it again.");
                    }
                    return rule;
                }));
    }

    public Uni<EarnRuleView> get(UUID id) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM earn_rule WHERE id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(EarnRules::view).orElseThrow(() -> ProblemException.notFound("No earn rule " + id + ".")));
    }

    public Uni<List<EarnRuleView>> list() {
        return NativeSql.list("SELECT " + COLUMNS + " FROM earn_rule ORDER BY kind, lower(name) LIMIT 500", Object[].class, Map.of())
                .map(rows -> rows.stream().map(EarnRules::view).toList());
    }

    /** The active referral rules of a stage. */
    public Uni<List<EarnRuleView>> referral(String stage) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM earn_rule WHERE active AND kind = 'referral' AND stage = :stage ORDER BY id",
                Object[].class, Map.of("stage", stage)).map(rows -> rows.stream().map(EarnRules::view).toList());
    }

    /** The active rules of a kind (for engagement: of the interaction type). */
    public Uni<List<EarnRuleView>> active(String kind, String interaction) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM earn_rule WHERE active AND kind = :kind"
                + " AND (CAST(:interaction AS text) IS NULL OR interaction = :interaction) ORDER BY id", Object[].class,
                NativeSql.params("kind", kind, "interaction", interaction))
                .map(rows -> rows.stream().map(EarnRules::view).toList());
    }

    /**
     * Credits {@code points} by the rule, cut to what its cap leaves the customer in the period of {@code occurredAt};
     * returns the points credited: 0 when nothing was (cap reached, or the dedupe key credited before).
     */
    public Uni<Integer> award(EarnRuleView rule, UUID customer, int points, String reason, String reference, Instant occurredAt,
            Instant vestsAt, String dedupeKey) {
        Uni<Integer> allowed = rule.capPoints() == null ? Uni.createFrom().item(points) : NativeSql.list("""
                SELECT coalesce(sum(points), 0) FROM points_entry
                WHERE customer_id = :customer AND rule_id = :rule AND kind = 'earn'
                  AND occurred_at >= date_trunc(:period, CAST(:at AS timestamptz), 'UTC')
                  AND occurred_at < date_trunc(:period, CAST(:at AS timestamptz), 'UTC') + CAST('1 ' || :period AS interval)""", Long.class,
                NativeSql.params("customer", customer, "rule", rule.id(), "period", rule.capPeriod(), "at", NativeSql.utc(occurredAt)))
                .map(earned -> (int) Math.max(0, Math.min(points, rule.capPoints() - ((Number) earned.get(0)).longValue())));
        return allowed.flatMap(n -> n <= 0 ? Uni.createFrom().item(0)
                : ledger.credit(new Ledger.Credit(customer, "earn", n, reason, reference, rule.id(), occurredAt, vestsAt, dedupeKey, null, null))
                        .map(entry -> entry.isPresent() ? n : 0));
    }

    /**
     * Credits the points of every active engagement rule for the action (an interaction type or an action in the
     * communities), once per rule and reference, within each rule's cap.
     */
    public Uni<Void> engage(UUID customer, String action, String reference, Instant at) {
        return active("engagement", action).flatMap(rules -> {
            Uni<Void> chain = rules.isEmpty() ? Uni.createFrom().voidItem() : Ledger.lock(customer);
            for (EarnRuleView rule : rules) {
                chain = chain.flatMap(x -> award(rule, customer, rule.points(), "engagement", reference, at, null,
                        action + ":" + reference + ":" + rule.id()).replaceWithVoid());
            }
            return chain;
        });
    }

    private static Map<String, Object> params(EarnRuleRequest r, UUID id) {
        return NativeSql.params("id", id, "name", r.name().trim(), "kind", r.kind(), "interaction", r.interaction(), "currency", r.currency(),
                "ppu", r.pointsPerUnit(), "points", r.points(), "cap", r.capPoints(), "period", r.capPeriod(),
                "active", r.active() == null || r.active(), "stage", r.stage(), "refereePoints", r.refereePoints());
    }

    private static void validate(EarnRuleRequest r) {
        if (r == null) {
            throw ProblemException.badRequest("An earn rule is required.", List.of());
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
            errors.add(new Problem.FieldError("name", "is required, at most 200 characters"));
        }
        if (r.kind() == null || !KINDS.contains(r.kind())) {
            errors.add(new Problem.FieldError("kind", "must be one of order, engagement, challenge, referral"));
        } else if ("order".equals(r.kind())) {
            if (r.pointsPerUnit() == null || r.pointsPerUnit().signum() <= 0 || r.pointsPerUnit().compareTo(BigDecimal.valueOf(10_000)) > 0) {
                errors.add(new Problem.FieldError("pointsPerUnit", "is required for an order rule: more than 0, at most 10000"));
            }
            if (r.currency() != null && !r.currency().matches("[A-Z]{3}")) {
                errors.add(new Problem.FieldError("currency", "must be an ISO 4217 code such as EUR"));
            }
        } else {
            if (r.points() == null || r.points() <= 0 || r.points() > 1_000_000) {
                errors.add(new Problem.FieldError("points", "is required: more than 0, at most 1000000"));
            }
            if ("referral".equals(r.kind()) && (!"registered".equals(r.stage()) && !"first-order".equals(r.stage()))) {
                errors.add(new Problem.FieldError("stage", "is required for a referral rule: registered or first-order"));
            }
            if (r.refereePoints() != null && (!"referral".equals(r.kind()) || r.refereePoints() < 0 || r.refereePoints() > 1_000_000)) {
                errors.add(new Problem.FieldError("refereePoints", "only for a referral rule: 0 to 1000000"));
            }
            if ("engagement".equals(r.kind()) && (r.interaction() == null || !ENGAGEMENT_ACTIONS.contains(r.interaction()))) {
                errors.add(new Problem.FieldError("interaction", "is required for an engagement rule: one of " + ENGAGEMENT_ACTIONS));
            }
        }
        if ((r.capPoints() == null) != (r.capPeriod() == null)) {
            errors.add(new Problem.FieldError("capPoints", "capPoints and capPeriod go together"));
        } else if (r.capPoints() != null && (r.capPoints() <= 0 || !PERIODS.contains(r.capPeriod()))) {
            errors.add(new Problem.FieldError("capPeriod", "a cap needs capPoints > 0 and a period of day, week, month or year"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The earn rule has invalid fields.", errors);
        }
    }

    private static EarnRuleView view(Object[] r) {
        return new EarnRuleView((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], (BigDecimal) r[5],
                r[6] == null ? null : ((Number) r[6]).intValue(), r[7] == null ? null : ((Number) r[7]).intValue(), (String) r[8],
                (Boolean) r[9], (String) r[14], r[15] == null ? null : ((Number) r[15]).intValue(), ((Number) r[10]).intValue(),
                (String) r[11], NativeSql.instant(r[12]), NativeSql.instant(r[13]));
    }
}
