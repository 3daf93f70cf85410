package io.custops.events.payload;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Data of {@code io.custops.activity.InteractionRecorded.v1}: one touch such as a login or a product view. */
public record InteractionRecorded(UUID customerId, String interactionId, String interactionType, Instant occurredAt,
        String channel, String source, Map<String, String> properties) {

    /** The interaction types the platform understands; integrators use {@code other} for the rest. */
    public static final java.util.List<String> TYPES = java.util.List.of("login", "logout", "page_view", "app_open",
            "search", "product_view", "cart_add", "cart_remove", "wishlist_add", "checkout_start", "email_open",
            "email_click", "push_open", "service_contact", "community_post", "share", "review", "other");
}
