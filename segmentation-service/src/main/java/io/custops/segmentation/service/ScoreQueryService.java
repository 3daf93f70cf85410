package io.custops.segmentation.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.ProblemException;
import io.custops.segmentation.domain.LifecycleStage;
import io.custops.segmentation.rest.dto.Distribution;
import io.custops.segmentation.rest.dto.ScoreResponse;
import io.custops.segmentation.rest.dto.ScoreResponse.Explanation;
import io.custops.segmentation.rest.dto.StageChange;
import io.custops.segmentation.scoring.ScoringConfig;
import io.custops.segmentation.scoring.ScoringModels;
import io.custops.segmentation.scoring.ScoringModels.Model;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads scores with their explanations, stage histories and distributions. */
@ApplicationScoped
public class ScoreQueryService {
    private static final String COLUMNS = """
            customer_id, lifecycle_stage, tier, value_level, recency_days, r_score, f_score, m_score, value_score,
            value_grade, activity_grade, potential_grade, strategy, health_index, health_activity, health_frequency,
            health_depth, at_risk, churn_risk, CAST(array_to_json(churn_reasons) AS text), order_count, monetary_total, currency, first_order_at,
            last_order_at, avg_interpurchase_days, refund_count, refund_total, window_orders, window_monetary,
            interactions_7d, interactions_30d, interactions_90d, CAST(interactions_by_type AS text), active_days_30d,
            last_interaction_at, last_login_at, latest_nps, latest_csat, open_complaints, registered_at, region, locale,
            registration_channel, model_version, scored_at, updated_at, interaction_types_30d, ltv_predicted_12m, p_alive,
            cluster, (SELECT x->>'label' FROM cluster_model m, jsonb_array_elements(m.clusters) x
                      WHERE m.version = customer_score.cluster_version AND CAST(x->>'index' AS integer) = customer_score.cluster)""";

    private final ScoringModels models;
    private final ObjectMapper mapper;

    public ScoreQueryService(ScoringModels models, ObjectMapper mapper) {
        this.models = models;
        this.mapper = mapper;
    }

    @WithSession
    public Uni<ScoreResponse> get(UUID customerId) {
        return NativeSql.list("SELECT " + COLUMNS + " FROM customer_score WHERE customer_id = :id", Object[].class,
                Map.of("id", customerId))
                .flatMap(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("No scores for customer " + customerId + " yet.");
                    }
                    Object[] row = rows.get(0);
                    Long version = row[44] == null ? null : ((Number) row[44]).longValue();
                    return models.model(version).map(model -> toResponse(row, model));
                });
    }

    /** The customer's stage transitions, newest first, before the {@code before} id when given. */
    @WithSession
    public Uni<List<StageChange>> history(UUID customerId, Long before, int limit) {
        return NativeSql.list("""
                SELECT id, from_stage, to_stage, changed_at, reason FROM lifecycle_history
                WHERE customer_id = :id AND id < :before ORDER BY id DESC LIMIT :limit""", Object[].class,
                Map.of("id", customerId, "before", before == null ? Long.MAX_VALUE : before, "limit", limit))
                .map(rows -> rows.stream().map(r -> new StageChange(((Number) r[0]).longValue(), wire((String) r[1]),
                        wire((String) r[2]), NativeSql.instant(r[3]), (String) r[4])).toList());
    }

    @WithSession
    public Uni<Distribution> distribution() {
        return NativeSql.list("""
                SELECT 'tier', coalesce(tier, 'none'), count(*) FROM customer_score GROUP BY 2
                UNION ALL SELECT 'level', value_level, count(*) FROM customer_score GROUP BY 2
                UNION ALL SELECT 'stage', lifecycle_stage, count(*) FROM customer_score GROUP BY 2
                UNION ALL SELECT 'strategy', strategy, count(*) FROM customer_score GROUP BY 2
                UNION ALL SELECT 'health', CASE WHEN health_index >= 80 THEN '80-100' WHEN health_index >= 60 THEN '60-79'
                    WHEN health_index >= 40 THEN '40-59' WHEN health_index >= 20 THEN '20-39' ELSE '0-19' END, count(*)
                    FROM customer_score GROUP BY 2
                UNION ALL SELECT 'flag', 'atRisk', count(*) FILTER (WHERE at_risk) FROM customer_score
                UNION ALL SELECT 'flag', 'churnRisk', count(*) FILTER (WHERE churn_risk) FROM customer_score
                UNION ALL SELECT 'flag', 'customers', count(*) FROM customer_score""", Object[].class, Map.of())
                .flatMap(rows -> models.model(null).map(model -> {
                    Map<String, Map<String, Long>> groups = new LinkedHashMap<>();
                    for (String g : List.of("tier", "level", "stage", "strategy", "health", "flag")) {
                        groups.put(g, new java.util.TreeMap<>());
                    }
                    for (Object[] r : rows) {
                        String key = "stage".equals(r[0]) ? wire((String) r[1]) : (String) r[1];
                        groups.get((String) r[0]).put(key, ((Number) r[2]).longValue());
                    }
                    Map<String, Long> flags = groups.get("flag");
                    return new Distribution(flags.get("customers"), groups.get("tier"), groups.get("level"),
                            groups.get("stage"), groups.get("strategy"), groups.get("health"), flags.get("atRisk"),
                            flags.get("churnRisk"), model == null ? null : model.version(),
                            model == null ? null : model.computedAt());
                }));
    }

    private ScoreResponse toResponse(Object[] r, Model model) {
        Integer recencyDays = integer(r[4]);
        ScoreResponse.Rfm rfm = new ScoreResponse.Rfm(recencyDays, integer(r[5]), integer(r[6]), integer(r[7]), decimal(r[8]));
        ScoreResponse.Grades grades = new ScoreResponse.Grades(integer(r[9]), integer(r[10]), integer(r[11]), (String) r[12]);
        ScoreResponse.Health health = new ScoreResponse.Health(integer(r[13]), integer(r[14]), integer(r[15]), integer(r[16]),
                (Boolean) r[17]);
        ScoreResponse.Churn churn = new ScoreResponse.Churn((Boolean) r[18], strings((String) r[19]));
        Map<String, Integer> interactions = new LinkedHashMap<>();
        interactions.put("7d", integer(r[30]));
        interactions.put("30d", integer(r[31]));
        interactions.put("90d", integer(r[32]));
        ScoreResponse.Rollup rollup = new ScoreResponse.Rollup(integer(r[20]), decimal(r[21]), trim(r[22]),
                NativeSql.instant(r[23]), NativeSql.instant(r[24]), decimal(r[25]), integer(r[26]), decimal(r[27]),
                integer(r[28]), decimal(r[29]), interactions, json((String) r[33]), integer(r[34]), NativeSql.instant(r[35]),
                NativeSql.instant(r[36]), integer(r[37]), integer(r[38]), integer(r[39]), NativeSql.instant(r[40]),
                (String) r[41], (String) r[42], (String) r[43]);
        ScoreResponse.Ltv ltv = new ScoreResponse.Ltv(decimal(r[21]), decimal(r[48]), decimal(r[49]), trim(r[22]));
        String stage = wire((String) r[1]);
        String tier = trim(r[2]);
        ScoreResponse.Cluster cluster = r[50] == null ? null : new ScoreResponse.Cluster(integer(r[50]), (String) r[51]);
        return new ScoreResponse((UUID) r[0], stage, tier, (String) r[3], rfm, grades, health, churn, ltv, cluster, rollup,
                model == null || r[44] == null ? null : model.version(), NativeSql.instant(r[45]), NativeSql.instant(r[46]),
                model == null || r[44] == null ? List.of()
                        : explain(rfm, tier, (String) r[3], grades, health, churn, ltv, rollup, stage, integer(r[47]), model));
    }

    /** Restates, for each score, the inputs and the rule of the model that produced it. */
    private static List<Explanation> explain(ScoreResponse.Rfm rfm, String tier, String level, ScoreResponse.Grades grades,
            ScoreResponse.Health health, ScoreResponse.Churn churn, ScoreResponse.Ltv ltv, ScoreResponse.Rollup rollup,
            String stage, int interactionTypes30d, Model model) {
        ScoringConfig config = model.config();
        String edgesSource = model.activeCustomers() >= config.minActiveForQuantiles() && "quantile".equals(config.binning())
                ? "20/40/60/80th percentiles of the " + model.activeCustomers() + " customers who ordered in the last "
                        + config.windowDays() + " days (model " + model.version() + ", " + model.computedAt() + ")"
                : "fixed edges of the configuration (model " + model.version() + ")";
        List<Explanation> out = new ArrayList<>();
        if (rfm.recencyScore() == null) {
            out.add(new Explanation("rfm", "none", "no orders", "customers without orders get no R, F, M, value score or tier"));
        } else {
            out.add(new Explanation("recency", rfm.recencyScore().toString(), rfm.recencyDays() + " days since the last order",
                    "5 minus the number of edges below the days; edges " + model.recencyEdges() + ": " + edgesSource));
            out.add(new Explanation("frequency", rfm.frequencyScore().toString(),
                    rollup.windowOrders() + " orders in the last " + config.windowDays() + " days",
                    "1 plus the number of edges below the orders; edges " + model.frequencyEdges() + ": " + edgesSource));
            out.add(new Explanation("monetary", rfm.monetaryScore().toString(),
                    rollup.windowMonetary().stripTrailingZeros().toPlainString() + " " + rollup.currency() + " net of refunds in the last "
                            + config.windowDays() + " days",
                    "1 plus the number of edges below the amount; edges " + model.monetaryEdges() + ": " + edgesSource));
            out.add(new Explanation("valueScore", rfm.valueScore().toPlainString(),
                    "R " + rfm.recencyScore() + ", F " + rfm.frequencyScore() + ", M " + rfm.monetaryScore(),
                    "weighted mean with weights R " + config.weights().recency() + ", F " + config.weights().frequency()
                            + ", M " + config.weights().monetary()));
            out.add(new Explanation("tier", tier, "value score " + rfm.valueScore().toPlainString() + ", window monetary "
                    + rollup.windowMonetary().stripTrailingZeros().toPlainString(), tierRule(config, model)));
        }
        out.add(new Explanation("valueLevel", level, "orders " + rollup.orderCount() + (rfm.recencyScore() == null ? ""
                : ", R " + rfm.recencyScore() + ", F " + rfm.frequencyScore() + ", M " + rfm.monetaryScore()),
                "prospect: no order; champion: R, F and M all at least 4; loyal: F at least 4 and R at least 3; "
                        + "active: two or more orders; new: one order"));
        out.add(new Explanation("health", Integer.toString(health.index()),
                "activity " + health.activity() + ", purchase frequency " + health.frequency() + ", depth " + health.depth()
                        + " (" + rollup.interactions().get("30d") + " interactions of " + interactionTypes30d
                        + " types in 30 days)",
                "weighted mean with weights " + config.health().weights() + "; activity falls from 100 at a touch today to 0 at "
                        + config.health().activityHorizonDays() + " days; frequency compares the days since the last order "
                        + "with the own purchase cycle; depth is half volume (of " + config.health().depthInteractions()
                        + ") and half breadth (of " + config.health().depthTypes() + " types); at risk below "
                        + config.health().atRiskBelow()));
        out.add(new Explanation("churnRisk", churn.risk() ? String.join(", ", churn.reasons()) : "none",
                "days since last order " + rfm.recencyDays() + ", own cycle " + rollup.avgInterpurchaseDays()
                        + " days, interactions 30d " + rollup.interactions().get("30d") + ", 90d " + rollup.interactions().get("90d"),
                "purchase-gap: days since the last order above " + config.churn().purchaseGapFactor()
                        + " × own cycle and at least " + config.churn().purchaseGapMinDays() + " days; inactive: no order or interaction for " + config.churn().inactiveDays()
                        + " days; interaction-drop: last 30 days below " + config.churn().dropRatio()
                        + " × the monthly average of the 60 days before (when that average is at least "
                        + config.churn().dropMinimumMonthly() + ")"));
        out.add(new Explanation("grades", "value " + grades.value() + ", activity " + grades.activity() + ", potential "
                + grades.potential(), "value score " + rfm.valueScore() + ", interactions 30d " + rollup.interactions().get("30d")
                        + ", health " + health.index(),
                "value: the rounded value score (1 without orders); activity: 1 plus the activity edges "
                        + model.activityEdges() + " below the 30-day interactions; potential: the rounded mean of the "
                        + "activity grade and the health band (1 + health ÷ 20, at most 5)"));
        out.add(new Explanation("strategy", grades.strategy(), "tier " + tier + ", potential " + grades.potential(),
                "high value: tier A or B; high potential: potential grade at least " + config.highPotentialFrom()
                        + "; invest (high, high), retain (high value, low potential), nurture (low value, high potential), "
                        + "cost-control (low, low)"));
        out.add(new Explanation("ltv", ltv.predicted12Months().toPlainString(), "orders " + rollup.orderCount() + ", net "
                + rollup.monetaryTotal().stripTrailingZeros().toPlainString() + ", own cycle " + rollup.avgInterpurchaseDays()
                + " days, days since the last order " + rfm.recencyDays() + ", P(alive) " + ltv.probabilityAlive(),
                "predicted 12 months = P(alive) × 365 ÷ cycle × order value; cycle = own average interval (population "
                        + "median " + model.medianCycleDays() + " days for one-order customers); P(alive) = exp(−max(0, days "
                        + "since the last order − cycle) ÷ cycle); order value = own average blended with "
                        + config.ltvPriorOrders() + " orders at the population mean " + model.meanOrderValue()
                        + " (credibility weighting). Assumes purchases continue at the own rhythm while the customer is "
                        + "active and ignores seasonality, discounts and margins"));
        out.add(new Explanation("lifecycleStage", stage, "orders " + rollup.orderCount() + ", churn risk " + churn.risk()
                + ", active days in 30: " + rollup.activeDays30d() + ", last interaction " + rollup.lastInteractionAt(),
                "churn-winback on churn risk; else repurchase (two or more orders), conversion (one order), retention "
                        + "(interactions on two or more days in 30), activation (any interaction), acquisition"));
        return out;
    }

    private static String tierRule(ScoringConfig config, Model model) {
        List<BigDecimal> s = model.tierMinScores();
        List<BigDecimal> m = model.tierMinMonetary();
        boolean byShare = m.stream().anyMatch(x -> x == null || x.signum() >= 0);
        String cut = "A from (" + s.get(0) + ", " + m.get(0) + "), B from (" + s.get(1) + ", " + m.get(1) + "), C from ("
                + s.get(2) + ", " + m.get(2) + "), else D";
        return byShare ? "cut-offs (value score, window monetary) placed so that about " + config.tiers().shares()
                + " of the active base fall in A, B and C: " + cut
                : "thresholds on the value score: A from " + s.get(0) + ", B from " + s.get(1) + ", C from " + s.get(2)
                        + ", else D";
    }

    private Object json(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static String wire(String stage) {
        return stage == null ? null : LifecycleStage.valueOf(stage).wireName();
    }

    private static Integer integer(Object value) {
        return value == null ? null : ((Number) value).intValue();
    }

    private static BigDecimal decimal(Object value) {
        return value == null ? null : new BigDecimal(value.toString());
    }

    private static String trim(Object value) {
        return value == null ? null : value.toString().trim();
    }

    private List<String> strings(String json) {
        try {
            return json == null ? List.of() : List.of(mapper.readValue(json, String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
