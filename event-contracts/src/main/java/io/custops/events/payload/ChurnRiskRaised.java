package io.custops.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Data of {@code io.custops.segmentation.ChurnRiskRaised.v1}: a customer's churn risk turned on; {@code reasons} are
 * purchase-gap, inactive and/or interaction-drop. The day counts are null when there was no order or touch.
 */
public record ChurnRiskRaised(UUID customerId, List<String> reasons, int healthIndex, Integer daysSinceLastOrder,
        Integer daysSinceLastTouch, Instant raisedAt) {
}
