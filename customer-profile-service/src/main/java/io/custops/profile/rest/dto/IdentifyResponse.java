package io.custops.profile.rest.dto;

import java.util.List;
import java.util.UUID;

/**
 * The customer the identifiers resolve to; {@code linked} were newly attached, {@code ignored} were not used
 * (blocked placeholder values, over the per-profile limit, or held by another customer that could not be merged);
 * {@code merged} lists the customer ids that turned out to be the same person and were merged into this one.
 */
public record IdentifyResponse(UUID customerId, boolean created, List<String> linked, List<Ignored> ignored,
        List<UUID> merged) {

    public record Ignored(String type, String reason) {
    }
}
