package io.custops.profile.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.custops.platform.problem.Problem;
import io.custops.platform.problem.ProblemException;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.profile.imports.ImportJob;
import io.custops.profile.imports.ImportService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/imports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Bulk import")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed({ Roles.INTEGRATOR, Roles.ADMIN })
public class ImportResource {
    private final ImportService imports;
    private final Caller caller;

    public ImportResource(ImportService imports, Caller caller) {
        this.imports = imports;
        this.caller = caller;
    }

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Import a source-system export", description = """
            Multipart form: file, kind (profiles or events) and format (csv or jsonl). Answers 202 \
            with the job to poll at its Location. Profile rows: identifier columns (email, phone, crm_id, erp_id, \
            wechat_unionid, wechat_openid, device_id, member_card), source, profile fields and attr.<name> columns (CSV), \
            or {"identifiers":[...],"source":...,"firstName":...,"attributes":{...}} (JSON Lines). Event rows: the items \
            of POST /api/events (JSON Lines), or CSV with eventId, type, occurredAt, source, channel, customerId or \
            identifier columns, and data.<path> columns (data.orderId, data.total.value, data.total.currency; a cell \
            holding JSON, such as data.lines, is read as JSON). The same file imported again returns the existing job (200) and imports nothing.""")
    public RestResponse<ImportJob> upload(@RestForm("file") FileUpload file, @RestForm("kind") String kind,
            @RestForm("format") String format) throws Throwable {
        if (file == null) {
            throw ProblemException.badRequest("No file uploaded.", List.of(new Problem.FieldError("file", "is required")));
        }
        Map.Entry<ImportJob, Boolean> accepted = imports.accept(file.uploadedFile(), file.fileName(), kind, format,
                caller.name());
        ImportJob job = accepted.getKey();
        return RestResponse.ResponseBuilder.<ImportJob>create(accepted.getValue() ? 202 : 200).entity(job)
                .location(URI.create("/api/imports/" + job.id())).build();
    }

    @GET
    @Operation(summary = "Imports, newest first", description = "Filter by state (queued, running, completed); pages "
            + "of 'limit' (1-200, default 50); pass the last job's id as 'after' for the next page.")
    public Uni<List<ImportJob>> list(@QueryParam("state") String state, @QueryParam("after") UUID after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        if (state != null && !List.of(ImportJob.QUEUED, ImportJob.RUNNING, ImportJob.COMPLETED).contains(state)) {
            throw ProblemException.badRequest("Unknown import state.", List.of(new Problem.FieldError("state",
                    "must be queued, running or completed")));
        }
        return io.quarkus.hibernate.reactive.panache.Panache.withSession(() -> imports.list(after, state, limit));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "An import's progress", description = "state (queued, running, completed), total, processed, failed.")
    public Uni<ImportJob> get(@PathParam("id") UUID id) {
        return io.quarkus.hibernate.reactive.panache.Panache.withSession(() -> imports.find(id));
    }

    @GET
    @Path("/{id}/errors")
    @Operation(summary = "The rows an import could not take", description = "Row numbers count data rows from 1 (a CSV "
            + "header excluded); pass the last row seen as 'after' for the next page.")
    public Uni<List<ImportService.RowError>> errors(@PathParam("id") UUID id, @QueryParam("after") @DefaultValue("0") long after,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return io.quarkus.hibernate.reactive.panache.Panache.withSession(() -> imports.errors(id, after, limit));
    }
}
