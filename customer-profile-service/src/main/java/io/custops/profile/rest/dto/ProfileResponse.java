package io.custops.profile.rest.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A profile as the caller may see it: PII is masked unless the caller may read it unmasked. */
public record ProfileResponse(UUID id, long version, String source, String registrationChannel, String firstName,
        String lastName, String locale, String region, List<IdentifierDto> identifiers, Instant createdAt,
        Instant updatedAt) {
}
