package io.custops.profile.rest;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.custops.platform.idempotency.IdempotencyStore;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.profile.rest.dto.IngestEvent;
import io.custops.profile.rest.dto.IngestResult;
import io.custops.profile.service.ActivityEventParser;
import io.custops.profile.service.ActivityIngestService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Activity ingestion")
@SecurityRequirement(name = "SecurityScheme")
public class EventIngestResource {
    private static final int MAX_BODY_CHARS = 1_048_576;

    private final ActivityIngestService service;
    private final ActivityEventParser parser;
    private final ObjectMapper mapper;
    private final Caller caller;

    public EventIngestResource(ActivityIngestService service, ActivityEventParser parser, ObjectMapper mapper, Caller caller) {
        this.service = service;
        this.parser = parser;
        this.mapper = mapper;
        this.caller = caller;
    }

    @POST
    @RolesAllowed({ Roles.INTEGRATOR, Roles.ADMIN })
    @Operation(summary = "Ingest a batch of activity events", description = """
            Accepts {"events":[...]} with 1 to 500 events (at most 1 MB): OrderPlaced, OrderRefunded, \
            InteractionRecorded, FeedbackSubmitted, ComplaintResolved. Each event names its customer by customerId \
            or by identifiers, which are resolved to one customer (a prospect profile is created when none matches). \
            Events are published on custops.activity.v1. The answer reports every item: accepted, duplicate (the same \
            source and eventId was accepted before; nothing is published again) or rejected with a problem naming the \
            fields; good items are kept even when others are rejected. With an Idempotency-Key header, a retried \
            request gets the first answer back (header Idempotent-Replayed: true).""")
    @RequestBody(content = @Content(schema = @Schema(implementation = BatchDoc.class)))
    @APIResponse(responseCode = "200", description = "Every item's outcome",
            content = @Content(schema = @Schema(implementation = IngestResult.class)))
    @APIResponse(responseCode = "400", description = "The body is not a batch", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Uni<Response> ingest(String body, @HeaderParam(IdempotencyStore.HEADER) String idempotencyKey) {
        List<JsonNode> events = readBatch(body);
        List<ActivityEventParser.Parsed> parsed = parser.parse(events);
        return service.ingest(caller.name() + ":events", IdempotencyStore.validKey(idempotencyKey),
                IdempotencyStore.hash(body), parsed)
                .map(reply -> Response.status(reply.status()).entity(reply.json()).type(MediaType.APPLICATION_JSON)
                        .header("Idempotent-Replayed", reply.replayed() ? "true" : null).build());
    }

    private List<JsonNode> readBatch(String body) {
        if (body != null && body.length() > MAX_BODY_CHARS) {
            throw new ProblemException(413, "Content Too Large", "An ingestion batch is at most 1 MB; split it, or use "
                    + "/api/imports for bulk loads.");
        }
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("The request body is not JSON: " + e.getOriginalMessage(), List.of());
        }
        JsonNode events = root == null ? null : root.get("events");
        if (events == null || !events.isArray()) {
            throw ProblemException.badRequest("The body must be an object {\"events\": [...]}.",
                    List.of(new Problem.FieldError("events", "is required and must be an array")));
        }
        if (events.isEmpty() || events.size() > ActivityEventParser.MAX_BATCH) {
            throw ProblemException.badRequest("A batch holds 1 to " + ActivityEventParser.MAX_BATCH + " events.",
                    List.of(new Problem.FieldError("events", "holds " + events.size() + " events")));
        }
        List<JsonNode> items = new ArrayList<>(events.size());
        events.forEach(items::add);
        return items;
    }

    /** The request shape, for the OpenAPI document. */
    record BatchDoc(List<IngestEvent> events) {
    }
}
