package io.custops.segmentation.rest.dto;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The current customer clusters: how k was chosen (the mean silhouette of every k tried), and each cluster's
 * centroid in business terms (R, F, M and activity on 1–5, health on 0–100), size and share.
 */
public record ClusterView(long version, Instant computedAt, int k, String criterion, Double silhouette,
        Map<String, Double> silhouetteByK, int sampleSize, List<Cluster> clusters) {

    public record Cluster(int index, String label, String description, Map<String, Double> centroid, long customers,
            double share) {
    }
}
