package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/** Data of {@code io.custops.segmentation.LifecycleStageChanged.v1}; {@code from} is null on first assignment. */
public record LifecycleStageChanged(UUID customerId, String from, String to, Instant changedAt, String reason) {
}
