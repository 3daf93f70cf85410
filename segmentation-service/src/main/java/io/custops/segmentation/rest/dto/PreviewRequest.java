package io.custops.segmentation.rest.dto;

import com.fasterxml.jackson.databind.JsonNode;

/** A definition to try before saving it. */
public record PreviewRequest(JsonNode definition) {
}
