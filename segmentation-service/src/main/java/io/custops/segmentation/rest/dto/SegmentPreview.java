package io.custops.segmentation.rest.dto;

import java.util.List;
import java.util.UUID;

/** How many customers a definition matches now, with the first few ids (by id) as a sample. */
public record SegmentPreview(long customers, List<UUID> sample) {
}
