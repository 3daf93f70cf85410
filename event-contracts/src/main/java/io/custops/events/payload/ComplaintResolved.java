package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/** Data of {@code io.custops.activity.ComplaintResolved.v1}; {@code complaintId} is the complaint's feedback id. */
public record ComplaintResolved(UUID customerId, String complaintId, Instant resolvedAt, String resolution,
        String source) {
}
