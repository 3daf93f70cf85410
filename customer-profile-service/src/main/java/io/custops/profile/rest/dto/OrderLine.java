package io.custops.profile.rest.dto;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record OrderLine(@NotBlank @Size(max = 128) String sku, @Size(max = 128) String category,
        @Min(1) @Max(1_000_000) int quantity, @NotNull @Valid MoneyDto unitPrice) {
}
