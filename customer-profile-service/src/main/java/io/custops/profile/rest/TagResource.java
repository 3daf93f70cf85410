package io.custops.profile.rest;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.events.payload.TagsChanged.TagRef;
import io.custops.platform.security.Caller;
import io.custops.platform.security.Roles;
import io.custops.profile.rest.dto.TagDtos;
import io.custops.profile.service.TagService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/profiles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tags")
@SecurityRequirement(name = "SecurityScheme")
public class TagResource {
    private final TagService service;
    private final Caller caller;

    public TagResource(TagService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @GET
    @Path("/tag-groups")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.INTEGRATOR, Roles.SERVICE })
    @Operation(summary = "Tag groups and their tags")
    public Uni<List<TagDtos.Group>> groups() {
        return service.groups();
    }

    @PUT
    @Path("/tag-groups/{group}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Create or describe a tag group")
    public Uni<Void> defineGroup(@PathParam("group") @Pattern(regexp = "^[a-z][a-z0-9_]{0,62}$", message = "must be snake_case") String group,
            @Valid TagDtos.Definition definition) {
        return service.defineGroup(group, definition == null ? null : definition.description());
    }

    @PUT
    @Path("/tag-groups/{group}/tags/{tag}")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Create or describe a tag in a group")
    public Uni<Void> defineTag(@PathParam("group") String group,
            @PathParam("tag") @Pattern(regexp = "^[a-z0-9][a-z0-9_-]{0,62}$", message = "must be lower-case letters, digits, _ or -") String tag,
            @Valid TagDtos.Definition definition) {
        return service.defineTag(group, tag, definition == null ? null : definition.description());
    }

    @GET
    @Path("/tag-coverage")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST })
    @Operation(summary = "Tag coverage per group", description = "The share of all customers carrying at least one tag "
            + "of the group (the plans' KPI: at least 95%).")
    public Uni<List<TagDtos.Coverage>> coverage() {
        return service.coverage();
    }

    @POST
    @Path("/{customerId}/tags")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.INTEGRATOR, Roles.SERVICE })
    @Operation(summary = "Add and remove tags of one customer", description = "Also for services (journeys tag customers). Returns the customer's tags afterwards; "
            + "publishes TagsChanged when something changed.")
    public Uni<List<TagRef>> change(@PathParam("customerId") UUID customerId, @Valid @NotNull TagDtos.Change change) {
        return service.change(customerId, change, caller.name());
    }

    @POST
    @Path("/tags/bulk")
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER })
    @Operation(summary = "Tag or untag many customers", description = "By customerIds (up to 1,000) or by a filter with "
            + "the search parameters; set-based, one TagsChanged per customer whose tags changed.")
    public Uni<TagDtos.BulkResult> bulk(@Valid @NotNull TagDtos.Bulk bulk) {
        return service.bulk(bulk, caller.name());
    }
}
