package io.custops.segmentation.clusters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The k-means fit alone (no infrastructure): k chosen by silhouette, centroids described in business terms. */
class ClusterFitTest {

    @Test
    void threeWellSeparatedGroupsGiveThreeClustersWithRecognisableLabels() {
        Random random = new Random(7);
        List<double[]> points = new ArrayList<>();
        double[][] centres = { { 4.8, 4.7, 4.9, 4.5, 4.6 }, { 1.2, 1.1, 1.3, 0.8, 1.1 }, { 4.7, 1.2, 2.0, 3.5, 2.0 } };
        for (double[] centre : centres) {
            for (int i = 0; i < 200; i++) {
                double[] x = new double[5];
                for (int d = 0; d < 5; d++) {
                    x[d] = centre[d] + random.nextGaussian() * 0.15;
                }
                points.add(x);
            }
        }
        ClusterJob.Fit fit = ClusterJob.fit(points.toArray(double[][]::new));
        assertThat(fit.centroids()).hasSize(3);
        assertThat(fit.candidates()).containsKeys(2, 3, 4, 8);
        assertThat(fit.silhouette()).isGreaterThan(0.7).isEqualTo(fit.candidates().values().stream().mapToDouble(d -> d)
                .max().orElseThrow(), org.assertj.core.data.Offset.offset(0.0001));
        List<String> labels = fit.centroids().stream().map(z -> {
            double[] x = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                x[i] = z[i] * fit.sd()[i] + fit.mean()[i];
            }
            return Clusters.label(x);
        }).toList();
        assertThat(labels).containsExactlyInAnyOrder("champions", "lapsed", "new or occasional");
    }

    @Test
    void identicalCustomersMakeOneCluster() {
        double[][] same = new double[20][];
        for (int i = 0; i < same.length; i++) {
            same[i] = new double[] { 3, 3, 3, 3, 3 };
        }
        ClusterJob.Fit fit = ClusterJob.fit(same);
        assertThat(fit.centroids()).hasSize(1);
        assertThat(fit.candidates()).isEmpty();
    }
}
