package io.custops.segmentation.rest.dto;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A segment to create or replace. {@code kind} is {@code rule} (members follow {@code definition}, a condition in
 * the segment language) or {@code static} (members are uploaded).
 */
public record SegmentRequest(String name, String description, String kind, JsonNode definition) {
}
