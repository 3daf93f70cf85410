package io.custops.segmentation.rest;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.segmentation.rest.dto.ScoreResponse;
import io.custops.segmentation.service.ScoreQueryService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/scores")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Scores")
@SecurityRequirement(name = "SecurityScheme")
public class ScoreResource {
    private final ScoreQueryService service;
    private final Caller caller;

    public ScoreResource(ScoreQueryService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Path("/{customerId}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.SERVICE, Roles.MEMBER })
    @Operation(summary = "Read a customer's scores", description = "Lifecycle stage and rollup (orders, monetary total, "
            + "first and last order). A member can read only their own.")
    public Uni<ScoreResponse> get(@PathParam("customerId") UUID customerId) {
        caller.requireAccessTo(customerId);
        return service.get(customerId);
    }
}
