package io.custops.segmentation.rest.dto;

import java.time.Instant;
import java.util.Map;

/** How many customers are in each tier, value level, lifecycle stage, strategy cell and health band. */
public record Distribution(long customers, Map<String, Long> tiers, Map<String, Long> valueLevels,
        Map<String, Long> lifecycleStages, Map<String, Long> strategies, Map<String, Long> healthBands, long atRisk,
        long churnRisk, Long modelVersion, Instant computedAt) {
}
