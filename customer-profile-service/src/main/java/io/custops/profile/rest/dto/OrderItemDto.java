package io.custops.profile.rest.dto;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record OrderItemDto(@NotBlank @Size(max = 128) String sku, @Min(1) int quantity, @NotNull @Valid MoneyDto unitPrice) {
}
