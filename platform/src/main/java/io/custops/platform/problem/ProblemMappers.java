package io.custops.platform.problem;

import java.net.URI;
import java.util.Comparator;
import java.util.List;

import org.hibernate.StaleObjectStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Turns every failure of a REST call into an {@code application/problem+json} answer (RFC 9457). Client
 * mistakes become 4xx with a detail that says what to fix; only a genuine server fault is a 500, and its
 * detail leaks nothing.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public RestResponse<Problem> problem(ProblemException e, UriInfo uri) {
        return respond(e.status(), e.title(), e.getMessage(), uri, e.errors());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return respond(400, "Bad Request", "The request has invalid fields.", uri, errors);
    }

    // listed explicitly so they take precedence over Quarkus' built-in Jackson mappers (plain JSON bodies)
    @ServerExceptionMapper({ JsonProcessingException.class, MismatchedInputException.class, InvalidFormatException.class })
    public RestResponse<Problem> unreadable(JsonProcessingException e, UriInfo uri) {
        List<Problem.FieldError> errors = List.of();
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
            String message = e instanceof InvalidFormatException invalid
                    ? "cannot read '" + invalid.getValue() + "' as " + invalid.getTargetType().getSimpleName()
                    : "has the wrong type";
            errors = List.of(new Problem.FieldError(field, message));
        }
        return respond(400, "Bad Request", "The request body is not valid JSON for this operation: "
                + e.getOriginalMessage(), uri, errors);
    }

    @ServerExceptionMapper({ OptimisticLockException.class, StaleObjectStateException.class })
    public RestResponse<Problem> stale(RuntimeException e, UriInfo uri) {
        return respond(409, "Conflict", "The resource was changed concurrently; read it again and retry.", uri, List.of());
    }

    /** A unique key taken by a concurrent request: the caller retries and then sees the winner's state. */
    @ServerExceptionMapper
    public RestResponse<Problem> duplicate(org.hibernate.exception.ConstraintViolationException e, UriInfo uri) {
        return respond(409, "Conflict", "The request conflicts with data written concurrently; retry it.", uri, List.of());
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(respond(401, "Unauthorized",
                "A valid bearer token is required: it is missing, expired, or not issued for this API.", uri,
                List.of()).toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"custops\"")
                .build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e, UriInfo uri) {
        return respond(403, "Forbidden", "Your roles do not allow this operation.", uri, List.of());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return respond(status, title, e.getMessage(), uri, List.of());
    }

    /** Anything else, also throwables that are not exceptions (the reactive SQL client's failures are). */
    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Throwable e, UriInfo uri) {
        LOG.error("unexpected failure", e);
        return respond(500, "Internal Server Error", "The server failed to process the request.", uri, List.of());
    }

    static RestResponse<Problem> respond(int status, String title, String detail, UriInfo uri,
            List<Problem.FieldError> errors) {
        Problem problem = new Problem(URI.create("about:blank"), title, status, detail,
                uri == null ? null : uri.getPath(), errors);
        return RestResponse.ResponseBuilder.<Problem>create(status).entity(problem).type(Problem.MEDIA_TYPE).build();
    }

    private static String fieldName(ConstraintViolation<?> violation) {
        // "create.request.email" -> "email": drop the method and parameter names
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : parts[parts.length - 1];
    }
}
