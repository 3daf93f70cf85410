package io.custops.profile.rest.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A consent to record; {@code source} defaults to the caller ("member-self-service" for members). */
public record ConsentChange(
        @NotNull @Pattern(regexp = "^(email|sms|push|wechat)$", message = "must be email, sms, push or wechat") String channel,
        @NotNull @Pattern(regexp = "^(marketing|service|analytics)$", message = "must be marketing, service or analytics") String purpose,
        @NotNull @Pattern(regexp = "^(granted|withdrawn)$", message = "must be granted or withdrawn") String status,
        @Size(max = 64) String source,
        @Size(max = 2000) String proof) {
}
