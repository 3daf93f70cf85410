package io.custops.events.payload;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Data of {@code io.custops.evaluation.ExperimentConcluded.v1}: an experiment's verdict on its metric ({@code step}: a journey's split). */
public record ExperimentConcluded(UUID experimentId, String experimentKind, String step, String metric, String winner,
        boolean significant, BigDecimal pValue, Instant concludedAt) {
}
