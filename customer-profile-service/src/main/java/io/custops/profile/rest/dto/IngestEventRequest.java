package io.custops.profile.rest.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * An activity event from a source system. Supported types so far: {@code OrderPlaced}.
 */
public record IngestEventRequest(
        @NotNull @Pattern(regexp = "^OrderPlaced$", message = "is not a supported event type; supported: OrderPlaced") String type,
        @NotNull UUID customerId,
        @NotBlank @Size(max = 128) String orderId,
        @NotNull Instant placedAt,
        @NotNull @Valid MoneyDto amount,
        @Size(max = 64) String channel,
        @NotBlank @Size(max = 64) String source,
        @Size(max = 500) List<@Valid OrderItemDto> items) {
}
