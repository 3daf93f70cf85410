package io.custops.segmentation.clusters;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.custops.platform.jobs.BatchJob;
import io.custops.platform.jobs.BatchJobHandler;
import io.custops.platform.jobs.BatchJobs;
import io.custops.platform.jobs.JobStep;
import io.custops.platform.persistence.NativeSql;
import io.custops.segmentation.scoring.CustomerScope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Clusters customers who have ordered, as a job: first k-means++ (Apache Commons Math, seeded so a run is
 * reproducible) on a random sample of at most {@code custops.clusters.sample} customers, over five features — R, F
 * and M scores, the health index and the activity grade — each standardised to mean 0 and deviation 1 on the
 * sample. k runs from 2 to 8 and the k with the highest mean silhouette coefficient (on at most 2,000 of the sampled
 * points) wins. Then every customer with orders is assigned to the nearest centroid, in id slices. Runs weekly
 * ({@code custops.clusters.cron}) and on demand.
 */
@ApplicationScoped
public class ClusterJob implements BatchJobHandler {
    public static final String KIND = "segmentation.clusters";
    static final String[] FEATURES = { "recency", "frequency", "monetary", "health", "activity" };
    private static final String FEATURE_SQL = "s.r_score, s.f_score, s.m_score, s.health_index / 20.0, s.activity_grade";
    private static final int MAX_K = 8;
    private static final int SILHOUETTE_POINTS = 2000;

    private final BatchJobs jobs;
    private final Clusters clusters;
    private final Clock clock;
    private final int sampleSize;
    private final int sliceSize;

    public ClusterJob(BatchJobs jobs, Clusters clusters, Clock clock,
            @ConfigProperty(name = "custops.clusters.sample", defaultValue = "20000") int sampleSize,
            @ConfigProperty(name = "custops.scoring.batch-size", defaultValue = "20000") int sliceSize) {
        this.jobs = jobs;
        this.clusters = clusters;
        this.clock = clock;
        this.sampleSize = sampleSize;
        this.sliceSize = sliceSize;
    }

    public Uni<BatchJob> queue(String reason) {
        return jobs.queue(KIND, reason, "{}");
    }

    @Scheduled(cron = "${custops.clusters.cron:0 30 3 ? * SUN}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> weekly() {
        return Panache.withTransaction(() -> queue("weekly")).replaceWithVoid();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Uni<Long> total(BatchJob job) {
        return NativeSql.single("SELECT count(*) FROM customer_score WHERE order_count > 0", Long.class, Map.of());
    }

    @Override
    public Uni<JobStep> step(BatchJob job, String cursor) {
        if (cursor == null) {
            return fit().map(version -> new JobStep("assign:" + CustomerScope.FIRST, 0, 0, false));
        }
        UUID after = UUID.fromString(cursor.substring("assign:".length()));
        return CustomerScope.sliceEnd(after, sliceSize).flatMap(upto -> {
            CustomerScope slice = CustomerScope.range(after, upto);
            return clusters.assign(slice).map(assigned -> new JobStep("assign:" + upto, assigned, assigned,
                    upto.equals(CustomerScope.LAST)));
        });
    }

    /** Fits k-means on a sample and records the cluster model; returns its version. */
    private Uni<Long> fit() {
        return NativeSql.single("SELECT count(*) FROM customer_score WHERE order_count > 0", Long.class, Map.of())
                .flatMap(customers -> NativeSql.list("SELECT " + FEATURE_SQL + " FROM customer_score s WHERE s.order_count > 0"
                        + " AND random() < :fraction LIMIT :limit", Object[].class,
                        Map.of("fraction", customers == 0 ? 1.0 : Math.min(1.0, 1.5 * sampleSize / customers), "limit", sampleSize)))
                .flatMap(rows -> {
                    double[][] raw = rows.stream().map(r -> {
                        double[] x = new double[FEATURES.length];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = ((Number) r[i]).doubleValue();
                        }
                        return x;
                    }).toArray(double[][]::new);
                    Fit fit = fit(raw);
                    return clusters.record(fit, Instant.now(clock));
                });
    }

    /** What a fit produced: scaling, the chosen centroids (standardised) and the silhouette of every k tried. */
    record Fit(double[] mean, double[] sd, List<double[]> centroids, double silhouette, Map<Integer, Double> candidates,
            int sampleSize) {
    }

    static Fit fit(double[][] raw) {
        int dims = FEATURES.length;
        double[] mean = new double[dims];
        double[] sd = new double[dims];
        for (double[] x : raw) {
            for (int i = 0; i < dims; i++) {
                mean[i] += x[i] / raw.length;
            }
        }
        for (double[] x : raw) {
            for (int i = 0; i < dims; i++) {
                sd[i] += (x[i] - mean[i]) * (x[i] - mean[i]) / Math.max(1, raw.length - 1);
            }
        }
        for (int i = 0; i < dims; i++) {
            sd[i] = Math.sqrt(sd[i]) < 1e-9 ? 1 : Math.sqrt(sd[i]);
        }
        List<DoublePoint> points = new ArrayList<>(raw.length);
        for (double[] x : raw) {
            double[] z = new double[dims];
            for (int i = 0; i < dims; i++) {
                z[i] = (x[i] - mean[i]) / sd[i];
            }
            points.add(new DoublePoint(z));
        }
        Map<Integer, Double> candidates = new LinkedHashMap<>();
        List<double[]> best = List.of();
        double bestScore = Double.NEGATIVE_INFINITY;
        int distinct = (int) points.stream().map(p -> java.util.Arrays.toString(p.getPoint())).distinct().count();
        for (int k = 2; k <= Math.min(MAX_K, distinct - 1); k++) {
            KMeansPlusPlusClusterer<DoublePoint> clusterer = new KMeansPlusPlusClusterer<>(k, 100, new EuclideanDistance(),
                    new JDKRandomGenerator(42));
            List<CentroidCluster<DoublePoint>> result = clusterer.cluster(points);
            double score = silhouette(result);
            candidates.put(k, Math.round(score * 10_000) / 10_000.0);
            if (score > bestScore) {
                bestScore = score;
                best = result.stream().map(c -> c.getCenter().getPoint()).toList();
            }
        }
        if (best.isEmpty() && !points.isEmpty()) { // one distinct point: one cluster
            best = List.of(points.get(0).getPoint());
            bestScore = 0;
        }
        return new Fit(mean, sd, best, bestScore, candidates, raw.length);
    }

    /** Mean silhouette coefficient over at most {@link #SILHOUETTE_POINTS} points (evenly picked). */
    private static double silhouette(List<CentroidCluster<DoublePoint>> result) {
        List<double[]> points = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int total = result.stream().mapToInt(c -> c.getPoints().size()).sum();
        int step = Math.max(1, total / SILHOUETTE_POINTS);
        int seen = 0;
        for (int c = 0; c < result.size(); c++) {
            for (DoublePoint p : result.get(c).getPoints()) {
                if (seen++ % step == 0) {
                    points.add(p.getPoint());
                    labels.add(c);
                }
            }
        }
        EuclideanDistance distance = new EuclideanDistance();
        double sum = 0;
        for (int i = 0; i < points.size(); i++) {
            double[] sums = new double[result.size()];
            int[] counts = new int[result.size()];
            for (int j = 0; j < points.size(); j++) {
                if (i != j) {
                    sums[labels.get(j)] += distance.compute(points.get(i), points.get(j));
                    counts[labels.get(j)]++;
                }
            }
            int own = labels.get(i);
            if (counts[own] == 0) {
                continue; // a singleton's silhouette is 0
            }
            double a = sums[own] / counts[own];
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < result.size(); c++) {
                if (c != own && counts[c] > 0) {
                    b = Math.min(b, sums[c] / counts[c]);
                }
            }
            sum += b == Double.POSITIVE_INFINITY ? 0 : (b - a) / Math.max(a, b);
        }
        return points.isEmpty() ? 0 : sum / points.size();
    }
}
