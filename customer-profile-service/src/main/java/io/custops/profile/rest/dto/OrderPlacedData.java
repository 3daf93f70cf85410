package io.custops.profile.rest.dto;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code data} of an OrderPlaced event; {@code couponCodes} are the coupons redeemed with the order. */
public record OrderPlacedData(@NotBlank @Size(max = 128) String orderId, @NotNull @Valid MoneyDto total,
        @Size(max = 64) String store, @Size(max = 500) List<@Valid OrderLine> lines,
        @Size(max = 20) List<@NotBlank @Size(max = 64) String> couponCodes) {

    @JsonIgnore
    @AssertTrue(message = "total must not be negative")
    public boolean isTotalValid() {
        return total == null || total.value() == null || total.value().compareTo(BigDecimal.ZERO) >= 0;
    }
}
