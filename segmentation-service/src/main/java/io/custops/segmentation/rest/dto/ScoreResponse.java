package io.custops.segmentation.rest.dto;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import java.util.UUID;

/**
 * A customer's scores, the rollup they come from and, for each score, the explanation: its value, the inputs and
 * the rule (with the edges and cut-offs of the scoring model that applied it).
 */
public record ScoreResponse(UUID customerId, String lifecycleStage, String tier, String valueLevel, Rfm rfm, Grades grades,
        Health health, Churn churn, Ltv ltv, Cluster cluster, Rollup rollup, Long modelVersion, Instant scoredAt,
        Instant updatedAt, List<Explanation> explanation) {

    /** The customer's cluster in the current clustering (null before clustering or without orders). */
    public record Cluster(int index, String label) {
    }

    /** Historic value (net, home currency) and the predicted value of the next 12 months with its P(alive). */
    public record Ltv(BigDecimal historic, BigDecimal predicted12Months, BigDecimal probabilityAlive, String currency) {
    }

    public record Rfm(Integer recencyDays, Integer recencyScore, Integer frequencyScore, Integer monetaryScore,
            BigDecimal valueScore) {
    }

    public record Grades(int value, int activity, int potential, String strategy) {
    }

    public record Health(int index, int activity, int frequency, int depth, boolean atRisk) {
    }

    public record Churn(boolean risk, List<String> reasons) {
    }

    public record Rollup(int orderCount, BigDecimal monetaryTotal, String currency, Instant firstOrderAt, Instant lastOrderAt,
            BigDecimal avgInterpurchaseDays, int refundCount, BigDecimal refundTotal, int windowOrders,
            BigDecimal windowMonetary, Map<String, Integer> interactions, Object interactionsByType, Integer activeDays30d,
            Instant lastInteractionAt, Instant lastLoginAt, Integer latestNps, Integer latestCsat, int openComplaints,
            Instant registeredAt, String region, String locale, String registrationChannel) {
    }

    /** Why a score has its value: {@code score} names it, {@code inputs} and {@code rule} say how it came about. */
    public record Explanation(String score, String value, String inputs, String rule) {
    }
}
