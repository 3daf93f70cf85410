package io.custops.profile.rest.dto;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code data} of a ComplaintResolved event; {@code complaintId} is the complaint's feedback id. */
public record ComplaintResolvedData(@NotBlank @Size(max = 128) String complaintId,
        @NotNull @Pattern(regexp = "^(resolved|rejected|compensated|withdrawn)$",
                message = "must be resolved, rejected, compensated or withdrawn") String resolution) {
}
