package io.custops.profile.rest.dto;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

public record ConsentUpdate(@NotEmpty @Size(max = 12) List<@Valid ConsentChange> consents) {
}
