package io.custops.segmentation.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.platform.audit.AuditLog;
import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.segmentation.rest.dto.MemberPage;
import io.custops.segmentation.rest.dto.MemberUpload;
import io.custops.segmentation.rest.dto.PreviewRequest;
import io.custops.segmentation.rest.dto.SegmentPreview;
import io.custops.segmentation.rest.dto.SegmentRequest;
import io.custops.segmentation.rest.dto.SegmentResponse;
import io.custops.segmentation.segments.Segments;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/segments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Segments")
@SecurityRequirement(name = "SecurityScheme")
public class SegmentResource {
    private static final int EXPORT_PAGE = 5000;

    private final Segments segments;
    private final AuditLog audit;
    private final Caller caller;

    public SegmentResource(Segments segments, AuditLog audit, Caller caller) {
        this.segments = segments;
        this.audit = audit;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.SERVICE })
    @Operation(summary = "List segments", description = "Active segments by name; `archived=true` adds archived ones.")
    public Uni<List<SegmentResponse>> list(@QueryParam("archived") @DefaultValue("false") boolean archived) {
        return segments.list(archived);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Create a segment", description = """
            A rule segment's definition is a condition in the segment language (GET /api/segments/schema): all / any / \
            not; attribute comparisons; tags; scores, tier, stage, value level, strategy, churn and at-risk flags; \
            "performed event E with filters at least / at most / exactly N times within the last X days, between two \
            dates, or never"; dates within the last N days or anniversaries (birthday) within the next N days. It is \
            validated (400 names each bad field) and evaluated over every customer by a job (`job`); membership then \
            follows events within seconds and a daily sweep. A static segment's members are uploaded.""")
    public Uni<Response> create(SegmentRequest request) {
        return segments.create(request, caller.name())
                .map(s -> Response.created(URI.create("/api/segments/" + s.id())).entity(s).build());
    }

    @GET
    @Path("/schema")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.SERVICE })
    @Operation(summary = "The JSON Schema of segment definitions")
    public String schema() {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schemas/segment-definition.schema.json")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @POST
    @Path("/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "Preview a definition's size", description = "How many customers match now, and a sample of ids.")
    public Uni<SegmentPreview> preview(PreviewRequest request) {
        return segments.preview(request == null ? null : request.definition());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.SERVICE })
    @Operation(summary = "Read a segment with its member count")
    public Uni<SegmentResponse> get(@PathParam("id") UUID id) {
        return segments.get(id);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Change a segment", description = "A changed definition becomes a new version, evaluated over "
            + "every customer by a job; who no longer matches exits, who now matches enters.")
    public Uni<SegmentResponse> update(@PathParam("id") UUID id, SegmentRequest request) {
        return segments.update(id, request, caller.name());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Archive a segment", description = "Every member exits (SegmentExited); the name is free again.")
    public Uni<Response> archive(@PathParam("id") UUID id) {
        return segments.archive(id, caller.name()).map(x -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/members")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.SERVICE })
    @Operation(summary = "List members", description = "Customer ids in id order, keyset pages: pass `next` as `after`.")
    public Uni<MemberPage> members(@PathParam("id") UUID id, @QueryParam("after") UUID after,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("limit must be 1–1000.", List.of(new Problem.FieldError("limit", "must be 1–1000")));
        }
        return segments.members(id, after, limit);
    }

    @GET
    @Path("/{id}/members.csv")
    @Produces("text/csv")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.SERVICE })
    @Operation(summary = "Export members as CSV", description = "customer_id,entered_at for every member, streamed in "
            + "pages (any size of segment in bounded memory); the export is audited.")
    public Multi<String> export(@PathParam("id") UUID id) {
        String actor = caller.name();
        Uni<Void> checked = Panache.withTransaction(() -> segments.get(id)
                .flatMap(s -> audit.record(actor, "segment.export", null, "segment " + id + " (" + s.name() + ")")));
        Multi<String> pages = Multi.createBy().repeating()
                .uni(() -> new java.util.concurrent.atomic.AtomicReference<UUID>(null),
                        cursor -> Panache.withSession(() -> segments.page(id, cursor.get(), EXPORT_PAGE)).invoke(page -> cursor.set(page.next())))
                .whilst(page -> page.next() != null)
                .map(SegmentResource::csv);
        return checked.onItem().transformToMulti(x -> Multi.createBy().concatenating()
                .streams(Multi.createFrom().item("customer_id,entered_at\n"), pages));
    }

    @PUT
    @Path("/{id}/members")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Upload a static segment's members", description = "`mode` replace (default), add or remove; at "
            + "most 100,000 ids per request. Entries and exits are announced; unknown ids are counted and ignored.")
    public Uni<MemberUpload.Result> upload(@PathParam("id") UUID id, MemberUpload upload) {
        if (upload == null) {
            throw ProblemException.badRequest("customerIds are required.", List.of(new Problem.FieldError("customerIds", "is required")));
        }
        return segments.upload(id, upload);
    }

    @PUT
    @Path("/{id}/members")
    @Consumes("text/csv")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Upload a static segment's members as CSV", description = "One customer id per line (a "
            + "customer_id header is allowed); `mode` as a query parameter.")
    public Uni<MemberUpload.Result> uploadCsv(@PathParam("id") UUID id, @QueryParam("mode") String mode, String body) {
        List<UUID> ids = new ArrayList<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        String[] lines = body == null ? new String[0] : body.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            String cell = line.contains(",") ? line.substring(0, line.indexOf(',')).strip() : line;
            if (cell.isEmpty() || (i == 0 && cell.equalsIgnoreCase("customer_id"))) {
                continue;
            }
            try {
                ids.add(UUID.fromString(cell));
            } catch (IllegalArgumentException e) {
                if (errors.size() < 100) {
                    errors.add(new Problem.FieldError("line " + (i + 1), "is not a customer id"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The member list has lines that are not customer ids.", errors);
        }
        return segments.upload(id, new MemberUpload(ids, mode));
    }

    private static String csv(MemberPage page) {
        StringBuilder out = new StringBuilder();
        page.items().forEach(m -> out.append(m.customerId()).append(',').append(m.enteredAt()).append('\n'));
        return out.toString();
    }
}
