package io.custops.profile.rest.dto;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Resolves identifiers to a customer id, creating a prospect when nothing matches. */
public record IdentifyRequest(
        @NotEmpty(message = "must hold at least one identifier") @Size(max = 20) List<@Valid IdentifierDto> identifiers,
        @NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9_.-]{0,63}$", message = "must be a source-system name such as pos, crm or app")
        String source) {
}
