package io.custops.profile.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.custops.platform.security.Roles;
import io.custops.profile.rest.dto.AttributeDefinitionDto;
import io.custops.profile.service.AttributeSchemaService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/profiles/attribute-definitions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Attribute schema")
@SecurityRequirement(name = "SecurityScheme")
public class AttributeSchemaResource {
    private final AttributeSchemaService service;

    public AttributeSchemaResource(AttributeSchemaService service) {
        this.service = service;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.MARKETER, Roles.ANALYST, Roles.INTEGRATOR, Roles.SERVICE })
    @Operation(summary = "The declared custom attributes")
    public Uni<List<AttributeDefinitionDto>> list() {
        return service.list();
    }

    @PUT
    @Path("/{name}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Declare or change a custom attribute", description = "Types: string, number, integer, boolean, "
            + "date, datetime, enum (with enumValues). pii=true masks the values for callers without pii-reader. The type "
            + "of an attribute in use cannot change, nor can enum values in use be removed (409).")
    public Uni<AttributeDefinitionDto> put(
            @PathParam("name") @Pattern(regexp = "^[a-z][a-z0-9_]{0,62}$", message = "must be snake_case, at most 63 characters") String name,
            @Valid @NotNull AttributeDefinitionDto definition) {
        return service.put(name, definition);
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Retire a custom attribute that no profile uses")
    public Uni<Void> delete(@PathParam("name") String name) {
        return service.delete(name);
    }
}
