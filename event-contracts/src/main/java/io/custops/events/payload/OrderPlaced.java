package io.custops.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Data of {@code io.custops.activity.OrderPlaced.v1}; {@code amount} is the order total; {@code couponCodes} were redeemed with it. */
public record OrderPlaced(UUID customerId, String orderId, Instant placedAt, Money amount, String channel,
        String store, String source, List<Item> items, List<String> couponCodes) {

    /** An order without coupons. */
    public OrderPlaced(UUID customerId, String orderId, Instant placedAt, Money amount, String channel, String store, String source,
            List<Item> items) {
        this(customerId, orderId, placedAt, amount, channel, store, source, items, null);
    }

    public record Item(String sku, String category, int quantity, Money unitPrice) {
    }
}
