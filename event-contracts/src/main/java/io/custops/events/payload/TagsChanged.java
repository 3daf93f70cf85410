package io.custops.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Data of {@code io.custops.profile.TagsChanged.v1}: manual tags added to and removed from one customer. */
public record TagsChanged(UUID customerId, List<TagRef> added, List<TagRef> removed, Instant changedAt) {

    /** A tag within its group, e.g. interest / running. */
    public record TagRef(String group, String tag) {
    }
}
