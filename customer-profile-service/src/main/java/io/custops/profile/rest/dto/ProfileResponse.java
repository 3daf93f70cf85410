package io.custops.profile.rest.dto;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.custops.events.payload.TagsChanged.TagRef;
import io.custops.profile.domain.Address;

/**
 * A profile as the caller may see it: names, identifiers, addresses and PII custom attributes are masked unless
 * the caller may read them unmasked. {@code email} and {@code phone} are the first such identifiers.
 */
public record ProfileResponse(UUID id, long version, String status, String source, List<String> sourceSystems,
        String registrationChannel, String firstName, String lastName, String gender, LocalDate birthday, String locale,
        String timeZone, String region, String email, String phone, List<Address> addresses,
        Map<String, Object> attributes, List<IdentifierDto> identifiers, List<TagRef> tags, BigDecimal completeness, Instant createdAt,
        Instant updatedAt) {
}
