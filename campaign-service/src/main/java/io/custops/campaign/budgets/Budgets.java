package io.custops.campaign.budgets;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.campaign.rest.dto.BudgetDtos.PeriodRequest;
import io.custops.campaign.rest.dto.BudgetDtos.PeriodView;
import io.custops.campaign.rest.dto.BudgetDtos.PoolView;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Budget periods split into the strategic, tactical and operational pools campaigns and coupon pools draw on. */
@ApplicationScoped
public class Budgets {
    public static final Map<String, BigDecimal> DEFAULT_SHARES = defaults();

    public Uni<PeriodView> create(PeriodRequest r, String actor) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r == null) {
            throw ProblemException.badRequest("A budget period is required.", List.of());
        }
        if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
            errors.add(new Problem.FieldError("name", "is required, at most 200 characters"));
        }
        if (r.startsOn() == null || r.endsOn() == null || r.endsOn().isBefore(r.startsOn())) {
            errors.add(new Problem.FieldError("endsOn", "startsOn and endsOn are required, endsOn not before startsOn"));
        }
        if (r.total() == null || r.total().signum() < 0) {
            errors.add(new Problem.FieldError("total", "is required and must not be negative"));
        }
        if (r.currency() == null || !r.currency().matches("^[A-Z]{3}$")) {
            errors.add(new Problem.FieldError("currency", "must be an ISO 4217 code"));
        }
        Map<String, BigDecimal> shares = r.shares() == null || r.shares().isEmpty() ? DEFAULT_SHARES : r.shares();
        if (!shares.keySet().equals(DEFAULT_SHARES.keySet()) || shares.values().stream().anyMatch(v -> v == null || v.signum() < 0)
                || shares.values().stream().filter(v -> v != null).reduce(BigDecimal.ZERO, BigDecimal::add).compareTo(BigDecimal.valueOf(100)) != 0) {
            errors.add(new Problem.FieldError("shares", "must give strategic, tactical and operational percentages adding up to 100"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The budget period has invalid fields.", errors);
        }
        UUID id = UUID.randomUUID();
        List<Map<String, Object>> pools = new ArrayList<>();
        shares.forEach((kind, share) -> pools.add(Map.of("id", UUID.randomUUID(), "kind", kind, "share", share,
                "amount", r.total().multiply(share).divide(BigDecimal.valueOf(100), 4, RoundingMode.HALF_UP))));
        return NativeSql.execute("""
                INSERT INTO budget_period (id, name, starts_on, ends_on, total, currency, created_by, created_at)
                VALUES (:id, :name, :starts, :ends, :total, :currency, :actor, now()) ON CONFLICT DO NOTHING""",
                NativeSql.params("id", id, "name", r.name().trim(), "starts", r.startsOn(), "ends", r.endsOn(), "total", r.total(),
                        "currency", r.currency(), "actor", actor))
                .flatMap(inserted -> {
                    if (inserted == 0) {
                        throw ProblemException.conflict("A budget period named '" + r.name().trim() + "' exists already.");
                    }
                    return NativeSql.execute("""
                            INSERT INTO budget_pool (id, period_id, kind, share, amount)
                            SELECT x.id, :period, x.kind, x.share, x.amount
                            FROM jsonb_to_recordset(CAST(CAST(:pools AS text) AS jsonb)) AS x(id uuid, kind text, share numeric, amount numeric)""",
                            Map.of("period", id, "pools", NativeSql.json(pools)));
                })
                .flatMap(x -> get(id));
    }

    public Uni<PeriodView> get(UUID id) {
        return NativeSql.list("SELECT id, name, starts_on, ends_on, total, currency FROM budget_period WHERE id = :id", Object[].class,
                Map.of("id", id))
                .map(rows -> rows.stream().findFirst().orElseThrow(() -> ProblemException.notFound("No budget period " + id + ".")))
                .flatMap(period -> NativeSql.list("""
                        SELECT id, kind, share, amount, spent FROM budget_pool WHERE period_id = :id
                        ORDER BY array_position(ARRAY['strategic', 'tactical', 'operational'], kind)""", Object[].class, Map.of("id", id))
                        .map(pools -> new PeriodView((UUID) period[0], (String) period[1], date(period[2]), date(period[3]),
                                decimal(period[4]), (String) period[5], pools.stream().map(p -> new PoolView((UUID) p[0], (String) p[1],
                                        decimal(p[2]), decimal(p[3]), decimal(p[4]), decimal(p[3]).subtract(decimal(p[4])))).toList())));
    }

    public Uni<List<UUID>> periods() {
        return NativeSql.list("SELECT id FROM budget_period ORDER BY starts_on DESC LIMIT 100", UUID.class, Map.of());
    }

    /** 400 naming {@code field} when the pool does not exist. */
    public Uni<Void> requirePool(UUID pool, String field) {
        return pool == null ? Uni.createFrom().voidItem()
                : NativeSql.single("SELECT count(*) FROM budget_pool WHERE id = :id", Long.class, Map.of("id", pool)).map(n -> {
                    if (n == 0) {
                        throw ProblemException.badRequest("No budget pool " + pool + ".", List.of(new Problem.FieldError(field, "no such budget pool")));
                    }
                    return null;
                });
    }

    private static LocalDate date(Object value) {
        return value instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) value;
    }

    private static BigDecimal decimal(Object value) {
        return new BigDecimal(value.toString()).setScale(2, RoundingMode.HALF_UP);
    }

    private static Map<String, BigDecimal> defaults() {
        Map<String, BigDecimal> shares = new LinkedHashMap<>();
        shares.put("strategic", BigDecimal.valueOf(15));
        shares.put("tactical", BigDecimal.valueOf(45));
        shares.put("operational", BigDecimal.valueOf(40));
        return Map.copyOf(shares);
    }
}
