package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.community.ActivityCheckedIn.v1}: a registered customer checked in at an activity (an
 * online or offline salon, an expert talk).
 */
public record ActivityCheckedIn(UUID customerId, UUID activityId, String format, String method, Instant checkedInAt) {
}
