package io.custops.community.loyalty;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.community.rest.dto.LoyaltyDtos.MemberTierView;
import io.custops.community.rest.dto.LoyaltyDtos.TierRequest;
import io.custops.community.rest.dto.LoyaltyDtos.TierSetRequest;
import io.custops.community.rest.dto.LoyaltyDtos.TierSetView;
import io.custops.community.rest.dto.LoyaltyDtos.TierView;
import io.custops.events.EventType;
import io.custops.events.payload.LoyaltyTierChanged;
import io.custops.platform.outbox.EventOutbox;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Loyalty tiers. After every change to a customer's points or orders their tiers are evaluated: a higher tier is
 * granted at once (LoyaltyTierChanged, upgrade); a member found below their tier gets a downgrade date — the end of the
 * current period plus the grace period — and is downgraded then to the tier they qualify for (or none) unless they
 * qualify again before. A periodic review finds members whose rolling window aged them below their tier.
 */
@ApplicationScoped
public class LoyaltyTiers {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> PERIODS = Set.of("month", "quarter", "year");

    /** The qualifying value of customer {@code :customer} in tier set {@code s}: points earned net of clawbacks, or net spend. */
    private static final String VALUE = """
            CASE WHEN s.basis = 'points' THEN (SELECT coalesce(sum(p.points), 0) FROM points_entry p
                      WHERE p.customer_id = %1$s AND p.kind IN ('earn', 'reverse') AND p.occurred_at >= now() - make_interval(days => s.window_days))
                 ELSE (SELECT coalesce(sum(o.amount - o.refunded), 0) FROM order_points o
                      WHERE o.customer_id = %1$s AND o.currency = s.currency AND o.placed_at >= now() - make_interval(days => s.window_days)) END""";
    private static final String PERIOD_END = "date_trunc(s.period, now(), 'UTC') + CAST('1 ' || s.period AS interval) + make_interval(days => s.grace_days)";

    private final EventOutbox outbox;

    public LoyaltyTiers(EventOutbox outbox) {
        this.outbox = outbox;
    }

    public Uni<TierSetView> create(TierSetRequest request, String actor) {
        validate(request);
        UUID id = UUID.randomUUID();
        List<TierRequest> tiers = request.tiers().stream().sorted(java.util.Comparator.comparing(TierRequest::threshold)).toList();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < tiers.size(); i++) {
            TierRequest t = tiers.get(i);
            rows.add(NativeSql.params("id", UUID.randomUUID(), "tier_set_id", id, "name", t.name().trim(), "rank", i + 1,
                    "threshold", t.threshold(), "benefits", t.benefits() == null ? List.of() : t.benefits()));
        }
        return NativeSql.execute("""
                INSERT INTO tier_set (id, name, basis, currency, window_days, period, grace_days, created_by, created_at, updated_at)
                VALUES (:id, :name, :basis, :currency, :window, :period, :grace, :actor, now(), now()) ON CONFLICT DO NOTHING""",
                NativeSql.params("id", id, "name", request.name().trim(), "basis", request.basis(), "currency", request.currency(),
                        "window", request.windowDays(), "period", request.period(), "grace", request.graceDays() == null ? 0 : request.graceDays(),
                        "actor", actor))
                .flatMap(inserted -> {
                    if (inserted == 0) {
                        throw ProblemException.conflict("A tier set named '" + request.name().trim() + "' exists already.");
                    }
                    return NativeSql.insertRows("loyalty_tier", List.of("id", "tier_set_id", "name", "rank", "threshold", "benefits"), rows, "");
                })
                .flatMap(x -> get(id));
    }

    /**
     * Changes a tier set with the version you read: its settings and its tiers, matched by name (thresholds and benefits
     * change, new tiers are added; a tier that still has members cannot be dropped). Members are re-evaluated at their
     * next points change and by the periodic review.
     */
    public Uni<TierSetView> update(UUID id, TierSetRequest request) {
        validate(request);
        if (request.version() == null) {
            throw ProblemException.badRequest("The tier set's current version is required.",
                    List.of(new Problem.FieldError("version", "is required: the version you read")));
        }
        List<TierRequest> tiers = request.tiers().stream().sorted(java.util.Comparator.comparing(TierRequest::threshold)).toList();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < tiers.size(); i++) {
            TierRequest t = tiers.get(i);
            rows.add(NativeSql.params("name", t.name().trim(), "rank", i + 1, "threshold", t.threshold(),
                    "benefits", t.benefits() == null ? List.of() : t.benefits()));
        }
        Map<String, Object> params = NativeSql.params("id", id, "name", request.name().trim(), "basis", request.basis(), "currency",
                request.currency(), "window", request.windowDays(), "period", request.period(), "grace", request.graceDays() == null ? 0
                        : request.graceDays(), "active", request.active() == null || request.active(), "version", request.version(),
                "tiers", NativeSql.json(rows));
        return NativeSql.execute("""
                UPDATE tier_set SET name = :name, basis = :basis, currency = :currency, window_days = :window, period = :period,
                    grace_days = :grace, active = :active, version = version + 1, updated_at = now()
                WHERE id = :id AND version = :version""", params)
                .flatMap(updated -> {
                    if (updated == 0) {
                        return get(id).map(set -> {
                            throw ProblemException.conflict("Tier set " + id + " is at version " + set.version() + "; read it again.");
                        });
                    }
                    return NativeSql.list("""
                            SELECT t.name FROM loyalty_tier t WHERE t.tier_set_id = :id
                              AND lower(t.name) NOT IN (SELECT lower(x ->> 'name') FROM jsonb_array_elements(CAST(CAST(:tiers AS text) AS jsonb)) x)
                              AND EXISTS (SELECT 1 FROM member_tier m WHERE m.tier_id = t.id)""", String.class, params)
                            .flatMap(kept -> {
                                if (!kept.isEmpty()) {
                                    throw ProblemException.conflict("Tiers " + kept + " still have members; keep them or move their members first.");
                                }
                                // ranks move out of the way first: they are unique within the set
                                return NativeSql.execute("UPDATE loyalty_tier SET rank = -rank WHERE tier_set_id = :id", params);
                            })
                            .flatMap(x -> NativeSql.execute("""
                                    DELETE FROM loyalty_tier t WHERE t.tier_set_id = :id AND lower(t.name) NOT IN (
                                        SELECT lower(x ->> 'name') FROM jsonb_array_elements(CAST(CAST(:tiers AS text) AS jsonb)) x)""", params))
                            .flatMap(x -> NativeSql.execute("""
                                    WITH wanted AS (SELECT * FROM jsonb_to_recordset(CAST(CAST(:tiers AS text) AS jsonb))
                                                    AS w(name text, rank integer, threshold numeric, benefits jsonb))
                                    UPDATE loyalty_tier t SET name = w.name, rank = w.rank, threshold = w.threshold, benefits = w.benefits
                                    FROM wanted w WHERE t.tier_set_id = :id AND lower(t.name) = lower(w.name)""", params))
                            .flatMap(x -> NativeSql.execute("""
                                    INSERT INTO loyalty_tier (id, tier_set_id, name, rank, threshold, benefits)
                                    SELECT gen_random_uuid(), :id, w.name, w.rank, w.threshold, w.benefits
                                    FROM jsonb_to_recordset(CAST(CAST(:tiers AS text) AS jsonb)) AS w(name text, rank integer, threshold numeric, benefits jsonb)
                                    WHERE NOT EXISTS (SELECT 1 FROM loyalty_tier t WHERE t.tier_set_id = :id AND lower(t.name) = lower(w.name))""", params))
                            .flatMap(x -> get(id));
                });
    }

    public Uni<TierSetView> get(UUID id) {
        return sets("WHERE s.id = :id", Map.of("id", id))
                .map(sets -> sets.stream().findFirst().orElseThrow(() -> ProblemException.notFound("No tier set " + id + ".")));
    }

    public Uni<List<TierSetView>> list() {
        return sets("", Map.of());
    }

    private Uni<List<TierSetView>> sets(String where, Map<String, Object> params) {
        return NativeSql.list("""
                SELECT s.id, s.name, s.basis, s.currency, s.window_days, s.period, s.grace_days, s.active, s.created_at, s.version,
                       (SELECT CAST(jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name, 'rank', t.rank, 'threshold', t.threshold,
                               'benefits', t.benefits) ORDER BY t.rank) AS text) FROM loyalty_tier t WHERE t.tier_set_id = s.id)
                FROM tier_set s %s ORDER BY lower(s.name) LIMIT 100""".formatted(where), Object[].class, params)
                .map(rows -> rows.stream().map(r -> {
                    List<TierView> tiers = new ArrayList<>();
                    for (JsonNode t : json((String) r[10])) {
                        tiers.add(new TierView(UUID.fromString(t.get("id").asText()), t.get("name").asText(), t.get("rank").asInt(),
                                t.get("threshold").decimalValue(), strings(t.get("benefits"))));
                    }
                    return new TierSetView((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], ((Number) r[4]).intValue(), (String) r[5],
                            ((Number) r[6]).intValue(), (Boolean) r[7], ((Number) r[9]).intValue(), tiers, NativeSql.instant(r[8]));
                }).toList());
    }

    /** Where the customer stands in every active tier set. */
    public Uni<List<MemberTierView>> of(UUID customer) {
        return NativeSql.list("""
                SELECT s.id, s.name, cur.name, CAST(cur.benefits AS text), m.since, m.downgrade_at, v.value, nxt.name, nxt.threshold - v.value
                FROM tier_set s
                CROSS JOIN LATERAL (SELECT %s AS value) v
                LEFT JOIN member_tier m ON m.tier_set_id = s.id AND m.customer_id = :customer
                LEFT JOIN loyalty_tier cur ON cur.id = m.tier_id
                LEFT JOIN LATERAL (SELECT t.name, t.threshold FROM loyalty_tier t WHERE t.tier_set_id = s.id AND t.rank > coalesce(cur.rank, 0)
                                   ORDER BY t.rank LIMIT 1) nxt ON true
                WHERE s.active ORDER BY lower(s.name)""".formatted(VALUE.formatted(":customer")), Object[].class, Map.of("customer", customer))
                .map(rows -> rows.stream().map(r -> new MemberTierView((UUID) r[0], (String) r[1], (String) r[2],
                        r[3] == null ? List.of() : strings(json((String) r[3])), NativeSql.instant(r[4]), NativeSql.instant(r[5]),
                        (BigDecimal) r[6], (String) r[7], r[8] == null ? null : ((BigDecimal) r[8]).max(BigDecimal.ZERO))).toList());
    }

    /**
     * Re-evaluates the customer's tiers (call under the customer's ledger lock): upgrades at once, schedules or
     * cancels a downgrade, and — when {@code downgradeDue} — carries out downgrades whose date has come.
     */
    public Uni<Void> evaluate(UUID customer, boolean downgradeDue) {
        return NativeSql.list("""
                SELECT s.id, cur.id, cur.name, cur.rank, q.id, q.name, q.rank, m.downgrade_at, %s, m.downgrade_at <= now()
                FROM tier_set s
                CROSS JOIN LATERAL (SELECT %s AS value) v
                LEFT JOIN member_tier m ON m.tier_set_id = s.id AND m.customer_id = :customer
                LEFT JOIN loyalty_tier cur ON cur.id = m.tier_id
                LEFT JOIN LATERAL (SELECT t.id, t.name, t.rank FROM loyalty_tier t WHERE t.tier_set_id = s.id AND t.threshold <= v.value
                                   ORDER BY t.rank DESC LIMIT 1) q ON true
                WHERE s.active""".formatted(PERIOD_END, VALUE.formatted(":customer")), Object[].class, Map.of("customer", customer))
                .flatMap(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object[] r : rows) {
                        UUID set = (UUID) r[0];
                        int current = r[3] == null ? 0 : ((Number) r[3]).intValue();
                        int qualifying = r[6] == null ? 0 : ((Number) r[6]).intValue();
                        Map<String, Object> ids = NativeSql.params("customer", customer, "set", set, "tier", r[4], "at", r[8]);
                        if (qualifying > current) {
                            chain = chain.flatMap(x -> NativeSql.execute("""
                                    INSERT INTO member_tier (customer_id, tier_set_id, tier_id, since, downgrade_at) VALUES (:customer, :set, :tier, now(), NULL)
                                    ON CONFLICT (customer_id, tier_set_id) DO UPDATE SET tier_id = excluded.tier_id, since = now(), downgrade_at = NULL""",
                                    ids)).flatMap(x -> changed(customer, set, (String) r[2], (String) r[5], "upgrade"));
                        } else if (qualifying == current) {
                            if (r[7] != null) {
                                chain = chain.flatMap(x -> NativeSql.execute(
                                        "UPDATE member_tier SET downgrade_at = NULL WHERE customer_id = :customer AND tier_set_id = :set", ids)).replaceWithVoid();
                            }
                        } else if (downgradeDue && Boolean.TRUE.equals(r[9])) {
                            chain = chain.flatMap(x -> NativeSql.execute(r[4] == null
                                    ? "DELETE FROM member_tier WHERE customer_id = :customer AND tier_set_id = :set"
                                    : "UPDATE member_tier SET tier_id = :tier, since = now(), downgrade_at = NULL WHERE customer_id = :customer AND tier_set_id = :set",
                                    ids)).flatMap(x -> changed(customer, set, (String) r[2], (String) r[5], "downgrade"));
                        } else if (r[7] == null) {
                            chain = chain.flatMap(x -> NativeSql.execute(
                                    "UPDATE member_tier SET downgrade_at = :at WHERE customer_id = :customer AND tier_set_id = :set", ids)).replaceWithVoid();
                        }
                    }
                    return chain;
                });
    }

    private Uni<Void> changed(UUID customer, UUID set, String from, String to, String direction) {
        return outbox.record(EventType.LOYALTY_TIER_CHANGED, customer, new LoyaltyTierChanged(customer, set, from, to, direction, Instant.now()))
                .replaceWithVoid();
    }

    /** Customers whose downgrade date has come, a batch at a time (their rows locked for this transaction). */
    public Uni<List<UUID>> dueDowngrades(int limit) {
        return NativeSql.list("""
                SELECT DISTINCT customer_id FROM (SELECT customer_id FROM member_tier WHERE downgrade_at <= now() ORDER BY downgrade_at
                                                  LIMIT :limit FOR UPDATE SKIP LOCKED) d""", UUID.class, Map.of("limit", limit));
    }

    /** Members whose rolling window has aged them below their tier get their downgrade date (set-based). */
    public Uni<Integer> review() {
        return NativeSql.execute("""
                UPDATE member_tier m SET downgrade_at = %s
                FROM tier_set s, loyalty_tier cur
                WHERE m.tier_set_id = s.id AND cur.id = m.tier_id AND s.active AND m.downgrade_at IS NULL
                  AND %s < cur.threshold""".formatted(PERIOD_END, VALUE.formatted("m.customer_id")), Map.of());
    }

    private static void validate(TierSetRequest r) {
        if (r == null) {
            throw ProblemException.badRequest("A tier set is required.", List.of());
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
            errors.add(new Problem.FieldError("name", "is required, at most 200 characters"));
        }
        if (!"points".equals(r.basis()) && !"spend".equals(r.basis())) {
            errors.add(new Problem.FieldError("basis", "must be points or spend"));
        }
        if ("spend".equals(r.basis()) && (r.currency() == null || !r.currency().matches("[A-Z]{3}"))) {
            errors.add(new Problem.FieldError("currency", "a spend basis needs an ISO 4217 currency"));
        }
        if (r.windowDays() == null || r.windowDays() < 1 || r.windowDays() > 3660) {
            errors.add(new Problem.FieldError("windowDays", "is required: 1 to 3660"));
        }
        if (r.period() == null || !PERIODS.contains(r.period())) {
            errors.add(new Problem.FieldError("period", "must be month, quarter or year"));
        }
        if (r.graceDays() != null && (r.graceDays() < 0 || r.graceDays() > 366)) {
            errors.add(new Problem.FieldError("graceDays", "0 to 366"));
        }
        if (r.tiers() == null || r.tiers().isEmpty() || r.tiers().size() > 20) {
            errors.add(new Problem.FieldError("tiers", "1 to 20 tiers"));
        } else {
            Set<String> names = new HashSet<>();
            Set<BigDecimal> thresholds = new HashSet<>();
            for (int i = 0; i < r.tiers().size(); i++) {
                TierRequest t = r.tiers().get(i);
                if (t == null || t.name() == null || t.name().isBlank() || t.name().length() > 100 || !names.add(t.name().trim().toLowerCase())) {
                    errors.add(new Problem.FieldError("tiers[" + i + "].name", "is required, unique, at most 100 characters"));
                }
                if (t == null || t.threshold() == null || t.threshold().signum() < 0 || !thresholds.add(t.threshold().stripTrailingZeros())) {
                    errors.add(new Problem.FieldError("tiers[" + i + "].threshold", "is required, not negative, different from the others"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The tier set has invalid fields.", errors);
        }
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? MAPPER.createArrayNode() : MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
