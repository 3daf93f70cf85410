package io.custops.profile.rest.dto;

import java.math.BigDecimal;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** A decimal amount and its ISO 4217 currency. */
public record MoneyDto(
        @NotNull @Digits(integer = 15, fraction = 4) BigDecimal value,
        @NotNull @Pattern(regexp = "^[A-Z]{3}$", message = "must be an ISO 4217 code such as EUR or CNY") String currency) {
}
