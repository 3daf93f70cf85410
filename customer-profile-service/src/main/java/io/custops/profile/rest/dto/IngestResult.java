package io.custops.profile.rest.dto;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.custops.platform.problem.Problem;

/** The outcome of an ingestion batch, item by item (in request order). */
public record IngestResult(int accepted, int duplicates, int rejected, List<Item> results) {

    /**
     * @param status   accepted, duplicate or rejected
     * @param id       the CloudEvent id under which the event is (or was first) published
     * @param profileCreated true when resolution created a prospect profile for this event
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index, String eventId, String status, UUID id, UUID customerId, Boolean profileCreated,
            Problem problem) {
    }
}
