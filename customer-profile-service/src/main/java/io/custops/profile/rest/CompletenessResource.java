package io.custops.profile.rest;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.platform.jobs.BatchJob;
import io.custops.profile.rest.dto.CompletenessDtos.Summary;
import io.custops.profile.service.CompletenessService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/profiles/completeness")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Profile completeness")
@SecurityRequirement(name = "SecurityScheme")
public class CompletenessResource {
    private final CompletenessService service;
    private final Caller caller;

    public CompletenessResource(CompletenessService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.SERVICE })
    @Operation(summary = "Completeness over all profiles", description = "Average score and the shares of profiles at "
            + "least 50% and 80% complete, refreshed every few minutes (computedAt); also on /q/metrics as "
            + "custops_profile_completeness_*.")
    public Uni<Summary> summary() {
        return service.summary();
    }

    @POST
    @Path("/jobs")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Recompute every stored score", description = "Queues a job (202) that rescores all profiles in "
            + "batches; attribute schema changes queue one automatically. Follow it at /jobs/{id}.")
    public Uni<Response> recompute() {
        return service.requestRecompute(caller.name()).map(job -> Response.accepted(job)
                .location(java.net.URI.create("/api/profiles/completeness/jobs/" + job.id())).build());
    }

    @GET
    @Path("/jobs/{id}")
    @RolesAllowed({ Roles.ADMIN, Roles.ANALYST })
    @Operation(summary = "A recompute job's state and progress")
    public Uni<BatchJob> job(@PathParam("id") UUID id) {
        return service.job(id);
    }
}
