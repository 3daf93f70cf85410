package io.custops.events.payload;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Data of {@code io.custops.evaluation.ExperimentConcluded.v1}: an experiment's verdict on its metric. */
public record ExperimentConcluded(UUID experimentId, String experimentKind, String metric, String winner, boolean significant,
        BigDecimal pValue, Instant concludedAt) {
}
