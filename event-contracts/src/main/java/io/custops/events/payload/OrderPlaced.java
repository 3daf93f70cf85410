package io.custops.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Data of {@code io.custops.activity.OrderPlaced.v1}; {@code amount} is the order total. */
public record OrderPlaced(UUID customerId, String orderId, Instant placedAt, Money amount, String channel,
        String store, String source, List<Item> items) {

    public record Item(String sku, String category, int quantity, Money unitPrice) {
    }
}
