package io.custops.campaign.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.campaign.budgets.Budgets;
import io.custops.campaign.rest.dto.CampaignDtos.CampaignRequest;
import io.custops.campaign.rest.dto.CampaignDtos.CampaignView;
import io.custops.campaign.rest.dto.CampaignDtos.Statistics;
import io.custops.campaign.rest.dto.CampaignDtos.Variant;
import io.custops.campaign.rest.dto.CampaignDtos.VariantStatistics;
import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Campaigns and their lifecycle: draft → scheduled → snapshotting (the audience becomes messages, a job) → sending
 * → completed; sending ↔ paused; anything unfinished → cancelled. Pausing parks the waiting messages (so the
 * delivery worker never scans them), resuming spaces them again from now at the campaign's rate, cancelling
 * cancels them.
 */
@ApplicationScoped
public class Campaigns {
    private static final int DEFAULT_RATE = 6000;
    private static final String COLUMNS = "id, name, template_id, segment_id, CAST(data AS text), status, send_at, rate_per_minute,"
            + " audience, started_at, paused_at, finished_at, version, created_by, created_at, budget_pool_id, CAST(variants AS text),"
            + " holdout_percent, winner";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<Variant>> VARIANTS = new TypeReference<>() {
    };

    private final Templates templates;
    private final Budgets budgets;
    private final ObjectMapper mapper;
    private final Clock clock;

    public Campaigns(Templates templates, Budgets budgets, ObjectMapper mapper, Clock clock) {
        this.templates = templates;
        this.budgets = budgets;
        this.mapper = mapper;
        this.clock = clock;
    }

    public Uni<CampaignView> create(CampaignRequest request, String actor) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (request == null) {
            throw ProblemException.badRequest("A campaign is required.", List.of());
        }
        if (request.name() == null || request.name().isBlank() || request.name().length() > 200) {
            errors.add(new Problem.FieldError("name", "is required, at most 200 characters"));
        }
        if (request.templateId() == null) {
            errors.add(new Problem.FieldError("templateId", "is required"));
        }
        if (request.segmentId() == null) {
            errors.add(new Problem.FieldError("segmentId", "is required: the segment (from /api/segments) to send to"));
        }
        int rate = request.ratePerMinute() == null ? DEFAULT_RATE : request.ratePerMinute();
        if (rate < 1 || rate > 1_000_000) {
            errors.add(new Problem.FieldError("ratePerMinute", "must be 1 to 1000000"));
        }
        String data = Templates.sendData(request.data(), errors);
        List<Variant> variants = request.variants() == null ? List.of() : request.variants();
        if (!variants.isEmpty()) {
            if (variants.size() < 2 || variants.size() > 10) {
                errors.add(new Problem.FieldError("variants", "an A/B test needs 2 to 10 variants"));
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            for (int i = 0; i < variants.size(); i++) {
                Variant v = variants.get(i);
                if (v == null || v.name() == null || !v.name().matches("^[A-Za-z0-9_-]{1,40}$") || "control".equals(v.name()) || !names.add(v.name())) {
                    errors.add(new Problem.FieldError("variants[" + i + "].name", "must be a unique name of letters, digits, _ or -, not control"));
                }
                if (v == null || v.templateId() == null) {
                    errors.add(new Problem.FieldError("variants[" + i + "].templateId", "is required"));
                }
                if (v != null && v.weight() != null && (v.weight() < 1 || v.weight() > 10000)) {
                    errors.add(new Problem.FieldError("variants[" + i + "].weight", "must be 1 to 10000"));
                }
            }
        }
        BigDecimal holdout = request.holdoutPercent() == null ? BigDecimal.ZERO : request.holdoutPercent();
        if (holdout.signum() < 0 || holdout.compareTo(BigDecimal.valueOf(50)) > 0) {
            errors.add(new Problem.FieldError("holdoutPercent", "must be 0 to 50"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The campaign has invalid fields.", errors);
        }
        UUID id = UUID.randomUUID();
        Uni<Object> checked = Uni.createFrom().nullItem();
        for (int i = 0; i < variants.size(); i++) {
            String field = "variants[" + i + "].templateId";
            UUID template = variants.get(i).templateId();
            checked = checked.flatMap(x -> templates.usable(template)).flatMap(t -> templates.usable(request.templateId()).map(main -> {
                if (!main.channel().equals(t.channel()) || !main.category().equals(t.category())) {
                    throw ProblemException.badRequest("Every variant's template must have the campaign template's channel and category.",
                            List.of(new Problem.FieldError(field, "must be a " + main.category() + " " + main.channel() + " template")));
                }
                return null;
            }));
        }
        Uni<Void> variantTemplates = checked.replaceWithVoid();
        return budgets.requirePool(request.budgetPoolId(), "budgetPoolId").flatMap(x -> variantTemplates)
                .flatMap(x -> templates.usable(request.templateId()))
                .flatMap(template -> {
                    return NativeSql.execute("""
                            INSERT INTO campaign (id, name, template_id, segment_id, data, status, rate_per_minute, version, created_by,
                                created_at, updated_at, budget_pool_id, variants, holdout_percent)
                            VALUES (:id, :name, :template, :segment, CAST(CAST(:data AS text) AS jsonb), 'draft', :rate, 1, :actor, now(), now(),
                                :pool, CAST(CAST(:variants AS text) AS jsonb), :holdout)""",
                            NativeSql.params("id", id, "name", request.name().trim(), "template", template.id(), "segment", request.segmentId(),
                                    "data", data, "rate", rate, "actor", actor, "pool", request.budgetPoolId(),
                                    "variants", variants.isEmpty() ? null : NativeSql.json(variants.stream().map(v -> new Variant(v.name(),
                                            v.templateId(), v.weight() == null ? 1 : v.weight())).toList()), "holdout", holdout));
                })
                .flatMap(x -> get(id));
    }

    /** A draft or scheduled campaign is (re)scheduled for {@code sendAt}, now when null. */
    public Uni<CampaignView> schedule(UUID id, Instant sendAt) {
        Instant now = Instant.now(clock);
        if (sendAt != null && sendAt.isAfter(now.plus(Duration.ofDays(366)))) {
            throw ProblemException.badRequest("A campaign is scheduled at most a year ahead.",
                    List.of(new Problem.FieldError("sendAt", "must be within a year")));
        }
        Instant at = sendAt == null || sendAt.isBefore(now) ? now : sendAt;
        return transition(id, Set.of("draft", "scheduled"), "scheduled", "send_at = :at", Map.of("at", at.atOffset(ZoneOffset.UTC)));
    }

    /** Parks the waiting messages: the worker takes none of them until the campaign resumes. */
    public Uni<CampaignView> pause(UUID id) {
        return transition(id, Set.of("sending"), "paused", "paused_at = now()", Map.of())
                .call(c -> NativeSql.execute("UPDATE message SET not_before = 'infinity' WHERE campaign_id = :id AND status = 'queued'",
                        Map.of("id", id)));
    }

    /** Spaces the waiting messages again from now at the campaign's rate, in their original order. */
    public Uni<CampaignView> resume(UUID id) {
        return transition(id, Set.of("paused"), "sending", "paused_at = NULL", Map.of())
                .call(c -> NativeSql.execute("""
                        UPDATE message m SET not_before = now() + make_interval(secs => (w.n - 1) * 60.0 / :rate)
                        FROM (SELECT id, row_number() OVER (ORDER BY customer_id) AS n FROM message
                              WHERE campaign_id = :id AND status = 'queued') w
                        WHERE m.id = w.id""", Map.of("id", id, "rate", c.ratePerMinute())))
                .flatMap(c -> get(id));
    }

    public Uni<CampaignView> cancel(UUID id) {
        return transition(id, Set.of("draft", "scheduled", "snapshotting", "sending", "paused"), "cancelled", "finished_at = now()", Map.of())
                .call(c -> NativeSql.execute("""
                        UPDATE message SET status = 'cancelled', reason = 'campaign cancelled', finished_at = now()
                        WHERE campaign_id = :id AND status = 'queued'""", Map.of("id", id)))
                .flatMap(c -> get(id));
    }

    private Uni<CampaignView> transition(UUID id, Set<String> from, String to, String set, Map<String, Object> params) {
        return NativeSql.execute("UPDATE campaign SET status = :to, " + set + ", version = version + 1, updated_at = now()"
                + " WHERE id = :id AND status IN (SELECT jsonb_array_elements_text(CAST(CAST(:from AS text) AS jsonb)))",
                NativeSql.with(params, "id", id, "to", to, "from", NativeSql.json(List.copyOf(from))))
                .flatMap(updated -> get(id).map(campaign -> {
                    if (updated == 0) {
                        throw ProblemException.conflict("Campaign " + id + " is " + campaign.status() + ": it cannot become " + to
                                + " (only from " + String.join(" or ", from.stream().sorted().toList()) + ").");
                    }
                    return campaign;
                }));
    }

    public Uni<CampaignView> get(UUID id) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM campaign WHERE id = :id", Object[].class, Map.of("id", id))
                .map(rows -> rows.stream().findFirst().orElseThrow(() -> ProblemException.notFound("No campaign " + id + ".")))
                .flatMap(row -> statistics(id).map(stats -> view(row, stats)));
    }

    /** Campaigns newest first, without statistics; {@code status} filters. */
    public Uni<List<CampaignView>> list(String status, int limit) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM campaign WHERE CAST(:status AS text) IS NULL OR status = :status"
                + " ORDER BY created_at DESC LIMIT :limit", Object[].class, NativeSql.params("status", status, "limit", limit))
                .map(rows -> rows.stream().map(r -> view(r, null)).toList());
    }

    private Uni<Statistics> statistics(UUID id) {
        Map<String, Object> params = Map.of("id", id);
        return NativeSql.list("""
                SELECT count(*) FILTER (WHERE status = 'queued'), count(*) FILTER (WHERE status = 'sending'),
                       count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status = 'failed'),
                       count(*) FILTER (WHERE status = 'cancelled'), count(opened_at), count(clicked_at), count(unsubscribed_at),
                       count(converted_at), coalesce(sum(cost) FILTER (WHERE status = 'sent'), 0),
                       (SELECT bp.currency FROM campaign c JOIN budget_pool p ON p.id = c.budget_pool_id
                        JOIN budget_period bp ON bp.id = p.period_id WHERE c.id = :id),
                       count(delivered_at)
                FROM message WHERE campaign_id = :id""", Object[].class, params)
                .flatMap(counts -> NativeSql.list("""
                        SELECT 'suppressed', reason, count(*) FROM message WHERE campaign_id = :id AND status = 'suppressed' GROUP BY reason
                        UNION ALL
                        SELECT 'revenue', revenue_currency, sum(revenue) FROM message WHERE campaign_id = :id AND converted_at IS NOT NULL
                        GROUP BY revenue_currency""", Object[].class, params)
                        .map(groups -> {
                            Object[] c = counts.get(0);
                            Map<String, Long> suppressed = new LinkedHashMap<>();
                            Map<String, BigDecimal> revenue = new LinkedHashMap<>();
                            for (Object[] g : groups) {
                                if ("suppressed".equals(g[0])) {
                                    suppressed.put((String) g[1], ((Number) g[2]).longValue());
                                } else {
                                    revenue.put((String) g[1], new BigDecimal(g[2].toString()));
                                }
                            }
                            BigDecimal spend = new BigDecimal(c[9].toString()).setScale(4, java.math.RoundingMode.HALF_UP);
                            BigDecimal roi = c[10] == null || spend.signum() == 0 ? null
                                    : revenue.getOrDefault(((String) c[10]).trim(), BigDecimal.ZERO).subtract(spend)
                                            .divide(spend, 4, java.math.RoundingMode.HALF_UP);
                            return new Statistics(n(c[0]), n(c[1]), n(c[2]), n(c[11]), n(c[3]), n(c[4]), suppressed, n(c[5]), n(c[6]),
                                    n(c[7]), n(c[8]), revenue, spend, roi, List.of());
                        }))
                .flatMap(stats -> NativeSql.list("""
                        SELECT a.variant, 'n', count(*), count(m.sent_at), count(m.opened_at), count(m.clicked_at), count(m.converted_at)
                        FROM experiment_assignment a
                        LEFT JOIN message m ON m.campaign_id = a.experiment_id AND m.customer_id = a.customer_id
                        WHERE a.experiment_id = :id AND a.step = '' GROUP BY a.variant
                        UNION ALL
                        SELECT a.variant, m.revenue_currency, 0, 0, 0, 0, sum(m.revenue)
                        FROM experiment_assignment a
                        JOIN message m ON m.campaign_id = a.experiment_id AND m.customer_id = a.customer_id AND m.converted_at IS NOT NULL
                        WHERE a.experiment_id = :id AND a.step = '' GROUP BY a.variant, m.revenue_currency
                        ORDER BY 1, 2""", Object[].class, params)
                        .map(rows -> {
                            Map<String, Object[]> counts = new java.util.TreeMap<>();
                            Map<String, Map<String, BigDecimal>> revenue = new java.util.HashMap<>();
                            for (Object[] r : rows) {
                                if ("n".equals(r[1])) {
                                    counts.put((String) r[0], r);
                                } else {
                                    revenue.computeIfAbsent((String) r[0], k -> new LinkedHashMap<>()).put(((String) r[1]).trim(),
                                            new BigDecimal(r[6].toString()));
                                }
                            }
                            List<VariantStatistics> variants = counts.values().stream().map(r -> new VariantStatistics((String) r[0], n(r[2]),
                                    n(r[3]), n(r[4]), n(r[5]), n(r[6]), revenue.getOrDefault((String) r[0], Map.of()))).toList();
                            return new Statistics(stats.queued(), stats.sending(), stats.sent(), stats.delivered(), stats.failed(), stats.cancelled(),
                                    stats.suppressed(), stats.opened(), stats.clicked(), stats.unsubscribed(), stats.converted(), stats.revenue(),
                                    stats.spend(), stats.roi(), variants);
                        }));
    }

    /**
     * Promotes a significant winner of an A/B test that is still going out: the messages not yet sent take the winning
     * variant's template. A verdict that is not significant, names no variant, or comes after the campaign finished
     * changes nothing.
     */
    public Uni<Integer> promote(UUID id, String winner) {
        return NativeSql.execute("""
                WITH c AS (UPDATE campaign SET winner = :winner, promoted_at = now(), version = version + 1, updated_at = now()
                           WHERE id = :id AND winner IS NULL AND status IN ('snapshotting', 'sending', 'paused')
                             AND variants @> CAST(CAST(:match AS text) AS jsonb)
                           RETURNING id, variants)
                UPDATE message m SET template_id = CAST(v->>'templateId' AS uuid), variant = :winner
                FROM c, jsonb_array_elements(c.variants) v
                WHERE m.campaign_id = c.id AND m.status = 'queued' AND v->>'name' = :winner""",
                NativeSql.params("id", id, "winner", winner, "match", NativeSql.json(List.of(Map.of("name", winner)))));
    }

    private CampaignView view(Object[] r, Statistics statistics) {
        Map<String, Object> data;
        try {
            data = mapper.readValue((String) r[4], MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("campaign " + r[0] + " has unreadable data", e);
        }
        List<Variant> variants;
        try {
            variants = r[16] == null ? List.of() : mapper.readValue((String) r[16], VARIANTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("campaign " + r[0] + " has unreadable variants", e);
        }
        return new CampaignView((UUID) r[0], (String) r[1], (UUID) r[2], (UUID) r[3], (UUID) r[15], variants,
                new BigDecimal(r[17].toString()), (String) r[18], data, (String) r[5], NativeSql.instant(r[6]),
                ((Number) r[7]).intValue(), r[8] == null ? null : ((Number) r[8]).longValue(), NativeSql.instant(r[9]),
                NativeSql.instant(r[10]), NativeSql.instant(r[11]), ((Number) r[12]).longValue(), (String) r[13],
                NativeSql.instant(r[14]), statistics);
    }

    private static long n(Object value) {
        return ((Number) value).longValue();
    }
}
