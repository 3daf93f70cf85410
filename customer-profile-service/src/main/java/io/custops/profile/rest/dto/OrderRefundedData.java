package io.custops.profile.rest.dto;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code data} of an OrderRefunded event: the refunded amount of an earlier order. */
public record OrderRefundedData(@NotBlank @Size(max = 128) String orderId, @NotBlank @Size(max = 128) String refundId,
        @NotNull @Valid MoneyDto amount, @Size(max = 256) String reason, @Size(max = 500) List<@Valid OrderLine> lines) {

    @JsonIgnore
    @AssertTrue(message = "amount must be positive")
    public boolean isAmountValid() {
        return amount == null || amount.value() == null || amount.value().compareTo(BigDecimal.ZERO) > 0;
    }
}
