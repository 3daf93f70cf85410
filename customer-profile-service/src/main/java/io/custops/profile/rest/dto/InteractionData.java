package io.custops.profile.rest.dto;

import java.util.Map;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code data} of an InteractionRecorded event; properties are non-PII context (sku, page, search category). */
public record InteractionData(
        @NotNull @Pattern(regexp = "^(login|logout|page_view|app_open|search|product_view|cart_add|cart_remove|wishlist_add"
                + "|checkout_start|email_open|email_click|push_open|service_contact|community_post|share|review|other)$",
                message = "is not a known interaction type (login, page_view, app_open, search, product_view, cart_add, "
                        + "service_contact, ... or other)")
        String interactionType,
        @Size(max = 20) Map<@Size(min = 1, max = 64) String, @NotNull @Size(max = 512) String> properties) {
}
