package io.custops.segmentation.service;

import java.util.UUID;

import io.custops.platform.problem.ProblemException;
import io.custops.segmentation.domain.CustomerScore;
import io.custops.segmentation.repository.CustomerScoreRepository;
import io.custops.segmentation.rest.dto.ScoreResponse;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ScoreQueryService {
    private final CustomerScoreRepository scores;

    public ScoreQueryService(CustomerScoreRepository scores) {
        this.scores = scores;
    }

    @WithSession
    public Uni<ScoreResponse> get(UUID customerId) {
        return scores.findById(customerId).map(score -> {
            if (score == null) {
                throw ProblemException.notFound("No scores for customer " + customerId + " yet.");
            }
            return toResponse(score);
        });
    }

    private static ScoreResponse toResponse(CustomerScore s) {
        return new ScoreResponse(s.customerId, s.lifecycleStage.wireName(), s.orderCount, s.monetaryTotal, s.currency,
                s.firstOrderAt, s.lastOrderAt, s.registeredAt, s.updatedAt);
    }
}
