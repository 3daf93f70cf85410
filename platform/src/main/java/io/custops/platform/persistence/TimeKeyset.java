package io.custops.platform.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;

/**
 * The page cursor of a newest-first list ordered by (time, id): the last row's pair as {@code <instant>_<uuid>}, given
 * back as {@code before} for the next page (compare {@code (at, id) < (:beforeAt, :beforeId)}).
 */
public record TimeKeyset(Instant at, UUID id) {
    /** The cursor in {@code before}, or null for the first page; a 400 problem for anything that is not a cursor. */
    public static TimeKeyset parse(String before) {
        if (before == null) {
            return null;
        }
        String[] parts = before.split("_", 2);
        try {
            return new TimeKeyset(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("before is the nextBefore of an earlier page.", List.of(new Problem.FieldError("before", "not a page cursor")));
        }
    }

    public String token() {
        return at + "_" + id;
    }
}
