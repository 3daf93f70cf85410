package io.custops.campaign.rest.dto;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** Journeys as the API shows them. */
public final class JourneyDtos {
    private JourneyDtos() {
    }

    /**
     * A journey's name and definition; on change, {@code version} is the version you read. Its messages are charged to
     * the budget pool {@code budgetPoolId} when one is given (and held back once the pool is spent).
     */
    public record JourneyRequest(String name, String description, JsonNode definition, Integer version, UUID budgetPoolId) {
    }

    /**
     * Where a journey's customers stand: in flight, completed (reached the end), converted (reached the goal), exited
     * (an exit step, erasure or an archived journey), failed; in flight by step; every step's outcomes so far; and what
     * its sent messages cost.
     */
    public record Statistics(long active, long completed, long converted, long exited, long failed, Map<String, Long> atStep,
            Map<String, Map<String, Long>> outcomes, java.math.BigDecimal spend) {
    }

    public record JourneyView(UUID id, String name, String description, String status, int version, JsonNode definition,
            UUID budgetPoolId, String createdBy, Instant createdAt, Instant updatedAt, Statistics statistics) {
    }

    public record InstanceView(UUID id, UUID journeyId, int version, UUID customerId, String status, String stepId, Instant dueAt,
            String waitingEvent, String variant, String reason, Instant enteredAt, Instant finishedAt, List<StepLog> history) {
    }

    public record StepLog(Instant at, String stepId, String outcome) {
    }

    /** A ready journey shipped with CustOps, and the message templates it creates. */
    public record JourneyTemplate(String key, String name, String description, List<String> messageTemplates, JsonNode definition) {
    }
}
