package io.custops.profile.domain;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A postal address (PII: masked for callers who may not read it). */
public record Address(
        @Pattern(regexp = "^(home|work|billing|shipping|other)$", message = "must be home, work, billing, shipping or other") String type,
        @NotBlank @Size(max = 200) String line1,
        @Size(max = 200) String line2,
        @NotBlank @Size(max = 100) String city,
        @Size(max = 100) String region,
        @Size(max = 20) String postalCode,
        @NotBlank @Pattern(regexp = "^[A-Z]{2}$", message = "must be an ISO 3166-1 alpha-2 code such as CN or DE") String country) {
}
