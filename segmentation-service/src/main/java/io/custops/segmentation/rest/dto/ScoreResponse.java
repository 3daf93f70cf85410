package io.custops.segmentation.rest.dto;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A customer's current scores and the rollup they are computed from. */
public record ScoreResponse(UUID customerId, String lifecycleStage, int orderCount, BigDecimal monetaryTotal,
        String currency, Instant firstOrderAt, Instant lastOrderAt, Instant registeredAt, Instant updatedAt) {
}
