package io.custops.profile.rest.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A declared custom attribute; {@code name} is taken from the path on PUT. */
public record AttributeDefinitionDto(
        @JsonProperty(access = JsonProperty.Access.READ_ONLY) String name,
        @NotBlank(message = "is required: string, number, integer, boolean, date, datetime or enum") String type,
        @Size(max = 100) List<@NotBlank @Size(max = 100) String> enumValues,
        @Size(max = 500) String description,
        Boolean pii) {
}
