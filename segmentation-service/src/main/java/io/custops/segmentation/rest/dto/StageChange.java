package io.custops.segmentation.rest.dto;

import java.time.Instant;

/** One transition of a customer's lifecycle stage; {@code from} is null for the first assignment. */
public record StageChange(long id, String from, String to, Instant changedAt, String reason) {
}
