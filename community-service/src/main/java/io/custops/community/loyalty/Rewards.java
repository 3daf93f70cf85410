package io.custops.community.loyalty;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.community.rest.dto.LoyaltyDtos.RewardRequest;
import io.custops.community.rest.dto.LoyaltyDtos.RewardView;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The rewards catalogue: price in points, stock, a limit per member, tier restrictions, when it is on offer. */
@ApplicationScoped
public class Rewards {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String COLUMNS = "w.id, w.name, w.description, w.points_price, w.stock, w.per_member_limit, CAST(w.allowed_tiers AS text),"
            + " w.active, w.available_from, w.available_until, w.version,"
            + " (SELECT count(*) FROM redemption r WHERE r.reward_id = w.id AND r.status = 'confirmed'),"
            + " (SELECT count(*) FROM redemption r WHERE r.reward_id = w.id AND r.status = 'reserved')";

    public Uni<RewardView> create(RewardRequest request, String actor) {
        validate(request);
        UUID id = UUID.randomUUID();
        return NativeSql.execute("""
                INSERT INTO reward (id, name, description, points_price, stock, per_member_limit, allowed_tiers, active, available_from,
                    available_until, created_by, created_at, updated_at)
                VALUES (:id, :name, :description, :price, :stock, :limit, CAST(CAST(:tiers AS text) AS jsonb), :active, :from, :until, :actor,
                    now(), now())""", NativeSql.with(params(request, id), "actor", actor))
                .flatMap(x -> get(id));
    }

    public Uni<RewardView> update(UUID id, RewardRequest request) {
        validate(request);
        if (request.version() == null) {
            throw ProblemException.badRequest("The reward's current version is required.",
                    List.of(new Problem.FieldError("version", "is required: the version you read")));
        }
        return NativeSql.execute("""
                UPDATE reward SET name = :name, description = :description, points_price = :price, stock = :stock, per_member_limit = :limit,
                    allowed_tiers = CAST(CAST(:tiers AS text) AS jsonb), active = :active, available_from = :from, available_until = :until,
                    version = version + 1, updated_at = now()
                WHERE id = :id AND version = :version""", NativeSql.with(params(request, id), "version", request.version()))
                .flatMap(updated -> get(id).map(reward -> {
                    if (updated == 0) {
                        throw ProblemException.conflict("Reward " + id + " is at version " + reward.version() + "; read it again.");
                    }
                    return reward;
                }));
    }

    public Uni<RewardView> get(UUID id) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM reward w WHERE w.id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().map(Rewards::view).orElseThrow(() -> ProblemException.notFound("No reward " + id + ".")));
    }

    /** The catalogue by price; {@code onOffer} keeps what can be redeemed now (active, in its window, in stock). */
    public Uni<List<RewardView>> list(boolean onOffer) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM reward w WHERE NOT CAST(:onOffer AS boolean) OR (w.active"
                + " AND (w.available_from IS NULL OR w.available_from <= now()) AND (w.available_until IS NULL OR w.available_until > now())"
                + " AND (w.stock IS NULL OR w.stock > 0)) ORDER BY w.points_price, w.name LIMIT 500", Object[].class, Map.of("onOffer", onOffer))
                .map(rows -> rows.stream().map(Rewards::view).toList());
    }

    private static Map<String, Object> params(RewardRequest r, UUID id) {
        return NativeSql.params("id", id, "name", r.name().trim(), "description", r.description(), "price", r.pointsPrice(), "stock", r.stock(),
                "limit", r.perMemberLimit(), "tiers", NativeSql.json(r.allowedTiers() == null ? List.of() : r.allowedTiers()),
                "active", r.active() == null || r.active(), "from", NativeSql.utc(r.availableFrom()), "until", NativeSql.utc(r.availableUntil()));
    }

    private static void validate(RewardRequest r) {
        if (r == null) {
            throw ProblemException.badRequest("A reward is required.", List.of());
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
            errors.add(new Problem.FieldError("name", "is required, at most 200 characters"));
        }
        if (r.pointsPrice() == null || r.pointsPrice() <= 0) {
            errors.add(new Problem.FieldError("pointsPrice", "is required: more than 0"));
        }
        if (r.stock() != null && r.stock() < 0) {
            errors.add(new Problem.FieldError("stock", "must not be negative (leave it out for unlimited)"));
        }
        if (r.perMemberLimit() != null && r.perMemberLimit() <= 0) {
            errors.add(new Problem.FieldError("perMemberLimit", "must be more than 0 (leave it out for no limit)"));
        }
        if (r.allowedTiers() != null && r.allowedTiers().stream().anyMatch(t -> t == null || t.isBlank() || t.length() > 100)) {
            errors.add(new Problem.FieldError("allowedTiers", "must be tier names"));
        }
        if (r.availableFrom() != null && r.availableUntil() != null && !r.availableUntil().isAfter(r.availableFrom())) {
            errors.add(new Problem.FieldError("availableUntil", "must be after availableFrom"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The reward has invalid fields.", errors);
        }
    }

    static List<String> tiers(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<List<String>>() {
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static RewardView view(Object[] r) {
        return new RewardView((UUID) r[0], (String) r[1], (String) r[2], ((Number) r[3]).intValue(),
                r[4] == null ? null : ((Number) r[4]).intValue(), r[5] == null ? null : ((Number) r[5]).intValue(), tiers((String) r[6]),
                (Boolean) r[7], NativeSql.instant(r[8]), NativeSql.instant(r[9]), ((Number) r[10]).intValue(), Ledger.n(r[11]),
                Ledger.n(r[12]));
    }
}
