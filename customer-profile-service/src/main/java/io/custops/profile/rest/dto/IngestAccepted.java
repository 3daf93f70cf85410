package io.custops.profile.rest.dto;

import java.util.UUID;

/** The outcome of an ingestion: the event id, and whether this event had already been accepted before. */
public record IngestAccepted(UUID eventId, UUID customerId, boolean duplicate) {
}
