package io.custops.profile.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.custops.platform.audit.AuditLog;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.profile.rest.dto.ProfileExport;
import io.custops.profile.service.PrivacyService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/profiles")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Privacy")
@SecurityRequirement(name = "SecurityScheme")
public class PrivacyResource {
    private final PrivacyService service;
    private final AuditLog audit;
    private final Caller caller;

    public PrivacyResource(PrivacyService service, AuditLog audit, Caller caller) {
        this.service = service;
        this.audit = audit;
        this.caller = caller;
    }

    @DELETE
    @Path("/{customerId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Erase a person (right to erasure)", description = "Deletes the profile, its identifiers, "
            + "consents and tags; blanks free text and consent proofs in the history that stays anonymised; publishes "
            + "ProfileErased so every service erases too. Idempotent: erasing again answers 204. Audited.")
    public Uni<RestResponse<Void>> erase(@PathParam("customerId") UUID customerId) {
        return service.erase(customerId, caller.name()).replaceWith(RestResponse.noContent());
    }

    @GET
    @Path("/{customerId}/export")
    @RolesAllowed({ Roles.ADMIN, Roles.MEMBER })
    @Operation(summary = "Everything held about a person (right to a copy)", description = "Unmasked; a member may "
            + "export only their own data. Audited.")
    public Uni<ProfileExport> export(@PathParam("customerId") UUID customerId) {
        caller.requireAccessTo(customerId);
        return service.export(customerId, caller.name());
    }

    @GET
    @Path("/audit-log")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "The audit trail", description = "Unmasked PII reads, merges, splits, exports and erasures: "
            + "who, what, whose, when. Newest first; filters are optional; pass the last id as 'before' for the next page.")
    public Uni<List<AuditLog.Entry>> auditLog(@QueryParam("customerId") UUID customerId, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("before") Long before, @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return audit.find(customerId, actor, action, from, to, before, limit);
    }
}
