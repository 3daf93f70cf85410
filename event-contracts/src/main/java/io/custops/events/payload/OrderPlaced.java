package io.custops.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Data of {@code io.custops.activity.OrderPlaced.v1}. */
public record OrderPlaced(UUID customerId, String orderId, Instant placedAt, Money amount, String channel,
        String source, List<Item> items) {

    public record Item(String sku, int quantity, Money unitPrice) {
    }
}
