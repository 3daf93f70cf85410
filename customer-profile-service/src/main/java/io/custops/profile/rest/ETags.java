package io.custops.profile.rest;

import java.util.List;

import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;

/** Strong ETags carrying an entity version, and the If-Match check that optimistic updates require. */
final class ETags {
    private ETags() {
    }

    static String of(long version) {
        return "\"" + version + "\"";
    }

    /** The version an If-Match header names; 428 when it is missing, 400 when it is not one of our ETags. */
    static long requireVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ProblemException(428, "Precondition Required", "Send If-Match with the ETag of the profile you "
                    + "read, so that concurrent changes are not overwritten.");
        }
        String tag = ifMatch.trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        try {
            return Long.parseLong(tag.replace("\"", ""));
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("If-Match is not an ETag of this API.",
                    List.of(new Problem.FieldError("If-Match", "must be the ETag returned by GET, e.g. \"3\"")));
        }
    }
}
