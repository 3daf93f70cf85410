package io.custops.profile.rest.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * One activity event of an ingestion batch: who (a customer id, or identifiers to resolve), what (type and
 * type-specific {@code data}), when, and from which source system. {@code eventId} is the caller's own id:
 * the same source and event id sent again is recognised as a duplicate.
 */
public record IngestEvent(
        @NotBlank @Size(max = 128) String eventId,
        @NotNull @Pattern(regexp = "^(OrderPlaced|OrderRefunded|InteractionRecorded|FeedbackSubmitted|ComplaintResolved)$",
                message = "must be one of OrderPlaced, OrderRefunded, InteractionRecorded, FeedbackSubmitted, ComplaintResolved")
        String type,
        UUID customerId,
        @Size(max = 20) List<@Valid IdentifierDto> identifiers,
        @NotNull Instant occurredAt,
        @NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9_.-]{0,63}$", message = "must be a source-system name such as pos, crm or app")
        String source,
        @Size(max = 64) String channel,
        @NotNull JsonNode data) {

    @JsonIgnore
    @AssertTrue(message = "either customerId or identifiers is required")
    public boolean isIdentified() {
        return customerId != null || (identifiers != null && !identifiers.isEmpty());
    }
}
