package io.custops.profile.rest;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.profile.domain.ConsentRecord;
import io.custops.profile.rest.dto.ConsentDto;
import io.custops.profile.rest.dto.ConsentHistoryItem;
import io.custops.profile.rest.dto.ConsentUpdate;
import io.custops.profile.service.ConsentService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/profiles/{customerId}/consents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Consent")
@SecurityRequirement(name = "SecurityScheme")
public class ConsentResource {
    private final ConsentService service;
    private final Caller caller;

    public ConsentResource(ConsentService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.PII_READER, Roles.INTEGRATOR, Roles.SERVICE, Roles.MEMBER })
    @Operation(summary = "A customer's consents", description = "All channel × purpose pairs; 'unknown' means never "
            + "asked, which counts as no consent. The proof is shown only to admin and pii-reader.")
    public Uni<List<ConsentDto>> list(@PathParam("customerId") UUID customerId) {
        caller.requireAccessTo(customerId);
        return service.list(customerId).map(this::maskProof);
    }

    @PUT
    @RolesAllowed({ Roles.ADMIN, Roles.INTEGRATOR })
    @Operation(summary = "Record consents", description = "Grants or withdraws consent per channel and purpose, with its "
            + "source and proof; each change is kept in the history and published as ConsentChanged. Recording the "
            + "status already in force changes nothing.")
    public Uni<List<ConsentDto>> record(@PathParam("customerId") UUID customerId, @Valid @NotNull ConsentUpdate update) {
        return service.record(customerId, update.consents(), caller.name(), "api").map(this::maskProof);
    }

    @GET
    @Path("/history")
    @RolesAllowed({ Roles.ADMIN, Roles.PII_READER, Roles.MEMBER })
    @Operation(summary = "The full consent history of a customer", description = "Newest first; pass the last id as "
            + "'before' for the next page.")
    public Uni<List<ConsentHistoryItem>> history(@PathParam("customerId") UUID customerId, @QueryParam("before") Long before,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        caller.requireAccessTo(customerId);
        return service.history(customerId, before, limit).map(ConsentResource::items);
    }

    static List<ConsentHistoryItem> items(List<ConsentRecord> records) {
        return records.stream().map(ConsentHistoryItem::of).toList();
    }

    private List<ConsentDto> maskProof(List<ConsentDto> consents) {
        boolean mayRead = caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.PII_READER) || caller.customerId().isPresent();
        return mayRead ? consents : consents.stream().map(c -> new ConsentDto(c.channel(), c.purpose(), c.status(), c.source(),
                c.proof() == null ? null : "***", c.recordedAt(), c.recordedBy())).toList();
    }
}
