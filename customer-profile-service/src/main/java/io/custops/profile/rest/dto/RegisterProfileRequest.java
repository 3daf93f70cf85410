package io.custops.profile.rest.dto;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Registers a customer from a source system; at least one identifier is required. */
public record RegisterProfileRequest(
        @NotEmpty(message = "must hold at least one identifier") @Size(max = 20) List<@Valid IdentifierDto> identifiers,
        @Size(max = 100) String firstName,
        @Size(max = 100) String lastName,
        @NotBlank(message = "is required: the source system, e.g. crm, pos, app, api") @Size(max = 64) String source,
        @Size(max = 64) String registrationChannel,
        @Pattern(regexp = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", message = "must be a BCP 47 language tag such as zh-CN") String locale,
        @Size(max = 64) String region,
        @PastOrPresent(message = "must not be in the future") java.time.LocalDate birthday) {
}
