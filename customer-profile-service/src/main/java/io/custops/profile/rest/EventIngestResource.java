package io.custops.profile.rest;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.custops.platform.security.Roles;
import io.custops.profile.rest.dto.IngestAccepted;
import io.custops.profile.rest.dto.IngestEventRequest;
import io.custops.profile.service.ActivityIngestService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Activity ingestion")
@SecurityRequirement(name = "SecurityScheme")
public class EventIngestResource {
    private final ActivityIngestService service;

    public EventIngestResource(ActivityIngestService service) {
        this.service = service;
    }

    @POST
    @RolesAllowed({ Roles.INTEGRATOR, Roles.ADMIN })
    @Operation(summary = "Ingest an activity event", description = "Accepts an OrderPlaced event for a registered "
            + "customer and publishes it on custops.activity.v1. Sending the same order (source and orderId) again is "
            + "safe: it answers 200 with duplicate=true and publishes nothing.")
    public Uni<RestResponse<IngestAccepted>> ingest(@Valid @NotNull IngestEventRequest request) {
        return service.ingest(request).map(accepted -> RestResponse.status(
                accepted.duplicate() ? RestResponse.Status.OK : RestResponse.Status.ACCEPTED, accepted));
    }
}
