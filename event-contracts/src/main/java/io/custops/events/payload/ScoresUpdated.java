package io.custops.events.payload;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.segmentation.ScoresUpdated.v1}: all of a customer's current scores, published when any
 * of them changes. The RFM scores, {@code valueScore} and {@code tier} are null for a customer without orders;
 * {@code modelVersion} names the scoring model (bin edges and configuration) that produced them.
 */
public record ScoresUpdated(UUID customerId, Integer recencyScore, Integer frequencyScore, Integer monetaryScore,
        BigDecimal valueScore, String tier, String valueLevel, int valueGrade, int activityGrade, int potentialGrade,
        String strategy, int healthIndex, boolean atRisk, boolean churnRisk, String lifecycleStage, long modelVersion,
        Instant scoredAt) {
}
