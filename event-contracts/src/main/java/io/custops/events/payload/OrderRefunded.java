package io.custops.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Data of {@code io.custops.activity.OrderRefunded.v1}: a full or partial refund of an earlier order. */
public record OrderRefunded(UUID customerId, String orderId, String refundId, Instant refundedAt, Money amount,
        String reason, String source, List<OrderPlaced.Item> items) {
}
