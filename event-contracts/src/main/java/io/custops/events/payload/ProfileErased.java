package io.custops.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * Data of {@code io.custops.profile.ProfileErased.v1}: the person behind this customer id asked to be forgotten.
 * Every service deletes or anonymises what it holds about the customer.
 */
public record ProfileErased(UUID customerId, Instant erasedAt) {
}
