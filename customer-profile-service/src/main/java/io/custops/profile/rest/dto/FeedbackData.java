package io.custops.profile.rest.dto;

import com.fasterxml.jackson.annotation.JsonIgnore;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code data} of a FeedbackSubmitted event: NPS (score 0–10), CSAT (score 1–5) or a complaint (category
 * required). The comment is kept with the profile and never published.
 */
public record FeedbackData(@NotBlank @Size(max = 128) String feedbackId,
        @NotNull @Pattern(regexp = "^(nps|csat|complaint)$", message = "must be nps, csat or complaint") String kind,
        Integer score, @Size(max = 64) String category, @Size(max = 4000) String comment) {

    @JsonIgnore
    @AssertTrue(message = "score must be 0-10 for nps and 1-5 for csat; a complaint needs a category")
    public boolean isConsistent() {
        if (kind == null) {
            return true;
        }
        return switch (kind) {
            case "nps" -> score != null && score >= 0 && score <= 10;
            case "csat" -> score != null && score >= 1 && score <= 5;
            case "complaint" -> category != null && !category.isBlank();
            default -> true;
        };
    }
}
