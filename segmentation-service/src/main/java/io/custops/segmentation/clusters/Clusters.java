package io.custops.segmentation.clusters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.platform.persistence.NativeSql;
import io.custops.platform.problem.ProblemException;
import io.custops.segmentation.rest.dto.ClusterView;
import io.custops.segmentation.scoring.CustomerScope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Cluster models: recording a fit with business descriptions, assigning customers, and reading the current one. */
@ApplicationScoped
public class Clusters {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Records a fitted model, each centroid described in business terms; returns its version. */
    Uni<Long> record(ClusterJob.Fit fit, Instant now) {
        List<Map<String, Object>> described = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < fit.centroids().size(); c++) {
            double[] z = fit.centroids().get(c);
            double[] x = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                x[i] = z[i] * fit.sd()[i] + fit.mean()[i];
            }
            String label = label(x);
            label = labels.contains(label) ? label + " (" + (c + 1) + ")" : label;
            labels.add(label);
            Map<String, Object> centroid = new LinkedHashMap<>();
            for (int i = 0; i < x.length; i++) {
                double value = ClusterJob.FEATURES[i].equals("health") ? x[i] * 20 : x[i];
                centroid.put(ClusterJob.FEATURES[i], Math.round(value * 100) / 100.0);
            }
            described.add(Map.of("index", c, "centroid", z, "values", centroid, "label", label, "description", describe(x)));
        }
        return NativeSql.single("""
                INSERT INTO cluster_model (computed_at, k, silhouette, sample_size, scaling, clusters, candidates)
                VALUES (CAST(:now AS timestamptz), :k, :silhouette, :sample, CAST(CAST(:scaling AS text) AS jsonb),
                        CAST(CAST(:clusters AS text) AS jsonb), CAST(CAST(:candidates AS text) AS jsonb))
                RETURNING version""", Long.class, NativeSql.params("now", now.atOffset(java.time.ZoneOffset.UTC),
                "k", fit.centroids().size(), "silhouette", java.math.BigDecimal.valueOf(fit.silhouette()).setScale(4,
                        java.math.RoundingMode.HALF_UP), "sample", fit.sampleSize(),
                "scaling", NativeSql.json(Map.of("mean", fit.mean(), "sd", fit.sd())), "clusters", NativeSql.json(described),
                "candidates", NativeSql.json(fit.candidates())));
    }

    /** Assigns the customers in scope to the nearest centroid of the latest model (none without orders). */
    Uni<Integer> assign(CustomerScope scope) {
        return NativeSql.execute("""
                WITH latest AS (SELECT * FROM cluster_model ORDER BY version DESC LIMIT 1),
                c AS (SELECT CAST(x->>'index' AS integer) AS idx,
                             ARRAY(SELECT CAST(v AS float8) FROM jsonb_array_elements_text(x->'centroid') v) AS z
                      FROM latest, jsonb_array_elements(latest.clusters) x),
                sc AS (SELECT version,
                              ARRAY(SELECT CAST(v AS float8) FROM jsonb_array_elements_text(scaling->'mean') v) AS mean,
                              ARRAY(SELECT CAST(v AS float8) FROM jsonb_array_elements_text(scaling->'sd') v) AS sd
                       FROM latest)
                UPDATE customer_score s SET cluster_version = sc.version,
                    cluster = CASE WHEN s.order_count > 0 THEN (SELECT c.idx FROM c ORDER BY
                        power((s.r_score - sc.mean[1]) / sc.sd[1] - c.z[1], 2)
                        + power((s.f_score - sc.mean[2]) / sc.sd[2] - c.z[2], 2)
                        + power((s.m_score - sc.mean[3]) / sc.sd[3] - c.z[3], 2)
                        + power((s.health_index / 20.0 - sc.mean[4]) / sc.sd[4] - c.z[4], 2)
                        + power((s.activity_grade - sc.mean[5]) / sc.sd[5] - c.z[5], 2), c.idx LIMIT 1) END
                FROM sc WHERE %s""".formatted(scope.on("s")), scope.params());
    }

    /** The latest model with each cluster's size, or a 404 problem before the first run. */
    public Uni<ClusterView> current() {
        return NativeSql.list("""
                SELECT version, computed_at, k, silhouette, sample_size, CAST(clusters AS text), CAST(candidates AS text)
                FROM cluster_model ORDER BY version DESC LIMIT 1""", Object[].class, Map.of())
                .flatMap(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("No clusters have been computed yet: POST /api/scores/clusters/jobs.");
                    }
                    Object[] r = rows.get(0);
                    long version = ((Number) r[0]).longValue();
                    return NativeSql.list("SELECT cluster, count(*) FROM customer_score WHERE cluster_version = :v"
                            + " AND cluster IS NOT NULL GROUP BY cluster", Object[].class, Map.of("v", version))
                            .map(sizes -> view(r, sizes));
                });
    }

    private static ClusterView view(Object[] r, List<Object[]> sizes) {
        Map<Integer, Long> counts = new LinkedHashMap<>();
        sizes.forEach(s -> counts.put(((Number) s[0]).intValue(), ((Number) s[1]).longValue()));
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        List<ClusterView.Cluster> list = new ArrayList<>();
        for (JsonNode c : parse((String) r[5])) {
            int index = c.get("index").asInt();
            long customers = counts.getOrDefault(index, 0L);
            Map<String, Double> values = new LinkedHashMap<>();
            c.get("values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asDouble()));
            list.add(new ClusterView.Cluster(index, c.get("label").asText(), c.get("description").asText(), values, customers,
                    total == 0 ? 0 : Math.round(customers * 10_000.0 / total) / 10_000.0));
        }
        Map<String, Double> candidates = new LinkedHashMap<>();
        parse((String) r[6]).fields().forEachRemaining(e -> candidates.put(e.getKey(), e.getValue().asDouble()));
        return new ClusterView(((Number) r[0]).longValue(), NativeSql.instant(r[1]), ((Number) r[2]).intValue(),
                "the k from 2 to 8 with the highest mean silhouette coefficient", r[3] == null ? null : ((Number) r[3]).doubleValue(),
                candidates, ((Number) r[4]).intValue(), list);
    }

    /** A short name for a centroid (R, F, M and activity on 1–5, health on 0–5 here). */
    static String label(double[] x) {
        boolean recent = x[0] >= 3.75;
        boolean stale = x[0] <= 2.25;
        boolean frequent = x[1] >= 3.75;
        boolean rare = x[1] <= 2.25;
        boolean bigSpend = x[2] >= 3.75;
        boolean smallSpend = x[2] <= 2.25;
        if (recent && frequent && bigSpend) {
            return "champions";
        }
        if (bigSpend && stale) {
            return "big spenders slipping away";
        }
        if (stale && rare) {
            return "lapsed";
        }
        if (recent && rare) {
            return "new or occasional";
        }
        if (frequent && smallSpend) {
            return "frequent small baskets";
        }
        if (x[3] * 20 < 40) {
            return "at risk";
        }
        return "steady middle";
    }

    static String describe(double[] x) {
        return "recency " + level(x[0]) + " (" + round(x[0]) + " of 5), frequency " + level(x[1]) + " (" + round(x[1])
                + "), monetary " + level(x[2]) + " (" + round(x[2]) + "), health " + Math.round(x[3] * 20) + " of 100, activity "
                + level(x[4]) + " (" + round(x[4]) + ")";
    }

    private static String level(double score) {
        return score >= 3.75 ? "high" : score <= 2.25 ? "low" : "medium";
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
