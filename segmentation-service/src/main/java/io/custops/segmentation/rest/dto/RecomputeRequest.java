package io.custops.segmentation.rest.dto;

/** {@code fromFacts}: rebuild every rollup from the raw facts first (slower; moves time windows on). */
public record RecomputeRequest(boolean fromFacts) {
}
