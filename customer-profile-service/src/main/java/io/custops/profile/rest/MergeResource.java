package io.custops.profile.rest;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.events.payload.ProfileSplit;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.profile.service.MergeService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/profiles")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Identity resolution")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed(Roles.ADMIN)
public class MergeResource {
    private final MergeService merges;
    private final Caller caller;

    public MergeResource(MergeService merges, Caller caller) {
        this.merges = merges;
        this.caller = caller;
    }

    @GET
    @Path("/{customerId}/lineage")
    @Operation(summary = "Merge lineage of a customer", description = "Every merge the customer took part in, as "
            + "survivor or as merged profile: which into which, when, why, by whom, and whether it was split.")
    public Uni<List<MergeService.Lineage>> lineage(@PathParam("customerId") UUID customerId) {
        return merges.lineage(customerId);
    }

    @POST
    @Path("/merges/{mergeId}/split")
    @Operation(summary = "Split a wrong merge back out", description = "Restores the merged profile with the "
            + "identifiers, consents, tags and activity it had; publishes ProfileSplit. Audited.")
    public Uni<ProfileSplit> split(@PathParam("mergeId") UUID mergeId) {
        return merges.split(mergeId, caller.name());
    }
}
